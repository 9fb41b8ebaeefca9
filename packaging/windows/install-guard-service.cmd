@echo off
rem Installs "bwdoctor guard" to start with Windows. Run from an elevated (administrator) prompt.
rem
rem Why not plain sc.exe: sc.exe create can register any command line, but the Service Control Manager expects the
rem program to call StartServiceCtrlDispatcher within 30 s; java.exe does not, so the service is reported as failed
rem (error 1053) and stopped. A service wrapper is needed. Two ways, chosen automatically:
rem   1. WinSW (MIT licence, https://github.com/winsw/winsw): put WinSW-x64.exe beside this script renamed to
rem      bwdoctor-guard.exe; this script writes bwdoctor-guard.xml for it, installs and starts a real service
rem      "bwdoctor-guard" that restarts the guard if it dies.
rem   2. Without WinSW: a Task Scheduler task "bwdoctor guard" that starts at boot as SYSTEM (schtasks.exe, built in).
rem      It is not restarted if it exits; check it with: schtasks /Query /TN "bwdoctor guard" /V
rem Remove either with uninstall-guard-service.cmd. Not yet tried on a real Windows host.
setlocal EnableExtensions
set "HERE=%~dp0"
if "%HERE:~-1%"=="\" set "HERE=%HERE:~0,-1%"
net session >nul 2>&1
if errorlevel 1 goto :notadmin

set "JAVA_EXE="
if exist "%HERE%\runtime\bin\java.exe" set "JAVA_EXE=%HERE%\runtime\bin\java.exe"
if not defined JAVA_EXE if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
if not defined JAVA_EXE for %%J in (java.exe) do if not "%%~$PATH:J"=="" set "JAVA_EXE=%%~$PATH:J"
if not defined JAVA_EXE goto :nojava

if exist "%HERE%\bwdoctor-guard.exe" goto :winsw
rem One echo per line (no parenthesised block): a java.exe path with "(x86)" in it would end such a block early.
set "XML=%HERE%\bwdoctor-guard.xml"
> "%XML%" echo ^<service^>
>> "%XML%" echo   ^<id^>bwdoctor-guard^</id^>
>> "%XML%" echo   ^<name^>bwdoctor guard^</name^>
>> "%XML%" echo   ^<description^>Watches for bandwidth saturation and keeps room for RDP and SSH.^</description^>
>> "%XML%" echo   ^<executable^>%JAVA_EXE%^</executable^>
>> "%XML%" echo   ^<arguments^>-XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -jar "%%BASE%%\bwdoctor.jar" guard^</arguments^>
>> "%XML%" echo   ^<onfailure action="restart" delay="10 sec"/^>
>> "%XML%" echo   ^<stoptimeout^>15 sec^</stoptimeout^>
>> "%XML%" echo   ^<log mode="roll-by-size"^>^<sizeThreshold^>10240^</sizeThreshold^>^<keepFiles^>5^</keepFiles^>^</log^>
>> "%XML%" echo ^</service^>
"%HERE%\bwdoctor-guard.exe" install
if errorlevel 1 exit /b 1
"%HERE%\bwdoctor-guard.exe" start
if errorlevel 1 exit /b 1
echo bwdoctor: installed and started the service "bwdoctor-guard" (WinSW)
exit /b 0

:notadmin
echo bwdoctor: run this from an administrator prompt 1>&2
exit /b 1

:nojava
echo bwdoctor: needs Java 25 - set JAVA_HOME or unpack a Java 25 runtime into "%HERE%\runtime" 1>&2
exit /b 2
