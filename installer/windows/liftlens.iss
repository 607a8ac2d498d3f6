; Inno Setup 6 script: installs the one-folder bundle made by installer/liftlens.spec.
; Built by installer\windows\build.ps1 (which passes AppVersion, SourceDir, OutputDir).
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\liftlens"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
AppId={{6F3C2A1E-8B4D-4C1A-9E62-5A1F7E3B9C01}
AppName=LiftLens
AppVersion={#AppVersion}
AppPublisher=LiftLens
DefaultDirName={autopf}\LiftLens
DefaultGroupName=LiftLens
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=LiftLens-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\LiftLens.exe

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\LiftLens"; Filename: "{app}\LiftLens.exe"
Name: "{autodesktop}\LiftLens"; Filename: "{app}\LiftLens.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\LiftLens.exe"; Description: "{cm:LaunchProgram,LiftLens}"; Flags: nowait postinstall skipifsilent
