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

schtasks /Create /F /TN "bwdoctor guard" /SC ONSTART /RU SYSTEM /RL HIGHEST /TR "\"%HERE%\bwdoctor.cmd\" guard"
if errorlevel 1 exit /b 1
schtasks /Run /TN "bwdoctor guard"
echo bwdoctor: installed the boot task "bwdoctor guard" (no WinSW found, so no automatic restart)
exit /b 0

:winsw
(
echo ^<service^>
echo   ^<id^>bwdoctor-guard^</id^>
echo   ^<name^>bwdoctor guard^</name^>
echo   ^<description^>Watches for bandwidth saturation and keeps room for RDP/SSH ^(bwdoctor guard^).^</description^>
echo   ^<executable^>%JAVA_EXE%^</executable^>
echo   ^<arguments^>-XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -jar "%%BASE%%\bwdoctor.jar" guard^</arguments^>
echo   ^<onfailure action="restart" delay="10 sec"/^>
echo   ^<stoptimeout^>15 sec^</stoptimeout^>
echo   ^<log mode="roll-by-size"^>^<sizeThreshold^>10240^</sizeThreshold^>^<keepFiles^>5^</keepFiles^>^</log^>
echo ^</service^>
) > "%HERE%\bwdoctor-guard.xml"
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
