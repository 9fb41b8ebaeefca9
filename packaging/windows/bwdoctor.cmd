@echo off
rem bwdoctor launcher for Windows. Finds Java 25: a runtime unpacked beside this file (runtime\bin\java.exe),
rem else %JAVA_HOME%\bin\java.exe, else java.exe on the PATH; then runs bwdoctor.jar with native access enabled
rem (the jar's manifest also enables it; the flag keeps older launch paths quiet). Live capture needs Npcap
rem (https://npcap.com), which bwdoctor does not bundle. BWDOCTOR_JAVA_OPTS replaces the default JVM options.
setlocal EnableExtensions
set "HERE=%~dp0"
set "JAR=%HERE%bwdoctor.jar"
set "JAVA_EXE="
if exist "%HERE%runtime\bin\java.exe" set "JAVA_EXE=%HERE%runtime\bin\java.exe"
if not defined JAVA_EXE if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
if not defined JAVA_EXE for %%J in (java.exe) do if not "%%~$PATH:J"=="" set "JAVA_EXE=%%~$PATH:J"
if not defined JAVA_EXE goto :nojava
if not exist "%JAR%" goto :nojar
if not defined BWDOCTOR_JAVA_OPTS set "BWDOCTOR_JAVA_OPTS=-XX:+UseSerialGC -Xmn32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=25"
"%JAVA_EXE%" %BWDOCTOR_JAVA_OPTS% --enable-native-access=ALL-UNNAMED -jar "%JAR%" %*
exit /b %ERRORLEVEL%

:nojava
echo bwdoctor: needs Java 25 - set JAVA_HOME, put java.exe on the PATH, or unpack a Java 25 runtime into "%HERE%runtime" 1>&2
exit /b 2

:nojar
echo bwdoctor: "%JAR%" is missing - unpack the whole bwdoctor zip into one folder 1>&2
exit /b 2
