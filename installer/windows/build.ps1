# Build LiftLens for Windows: a one-folder bundle (dist\liftlens\, with liftlens.exe for the
# command line and LiftLens.exe for the app) and an installer (dist\LiftLens-VERSION-setup.exe)
# made by Inno Setup 6 (iscc.exe on PATH, or at its default location).
# Run from the repository root in a venv with the project and pyinstaller==6.22.3:
#   python -m pip install -e ".[installer]"; powershell -File installer\windows\build.ps1
$ErrorActionPreference = "Stop"
$root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $root
$version = (python -c "import app; print(app.__version__)").Trim()
python -m PyInstaller --noconfirm --clean --log-level WARN `
  --workpath build\pyinstaller --distpath dist installer\liftlens.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
& dist\liftlens\liftlens.exe --version
if ($LASTEXITCODE -ne 0) { throw "the bundle does not start" }
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc /Qp "/DAppVersion=$version" "/DSourceDir=$root\dist\liftlens" "/DOutputDir=$root\dist" `
  installer\windows\liftlens.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "dist\LiftLens-$version-setup.exe"
