@echo off
rem Removes what install-guard-service.cmd installed (the WinSW service or the boot task) and the guard's QoS
rem policies (only those named bwdoctor-*). Run from an elevated prompt.
setlocal EnableExtensions
set "HERE=%~dp0"
if "%HERE:~-1%"=="\" set "HERE=%HERE:~0,-1%"
net session >nul 2>&1
if errorlevel 1 (
  echo bwdoctor: run this from an administrator prompt 1>&2
  exit /b 1
)
if exist "%HERE%\bwdoctor-guard.exe" (
  "%HERE%\bwdoctor-guard.exe" stop
  "%HERE%\bwdoctor-guard.exe" uninstall
)
schtasks /Query /TN "bwdoctor guard" >nul 2>&1 && schtasks /End /TN "bwdoctor guard" >nul 2>&1
schtasks /Query /TN "bwdoctor guard" >nul 2>&1 && schtasks /Delete /F /TN "bwdoctor guard"
powershell.exe -NoProfile -NonInteractive -Command "Get-NetQosPolicy -PolicyStore ActiveStore | Where-Object { $_.Name.StartsWith('bwdoctor-') } | Remove-NetQosPolicy -PolicyStore ActiveStore -Confirm:$false"
echo bwdoctor: guard removed
exit /b 0
