// Reads the `buildwise` settings from VS Code for the pure functions in settings.ts.
import * as vscode from "vscode";
import { Inspect, LaunchSettings, launchSettings, ServerSettings, serverSettings } from "./settings";

function inspector(): Inspect {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const config = vscode.workspace.getConfiguration("buildwise", folder);
  return (key) => config.inspect(key);
}

export function currentServerSettings(log: vscode.LogOutputChannel): ServerSettings {
  const { settings, problems } = serverSettings(inspector());
  problems.forEach((p) => log.warn(`settings: ${p}`));
  log.debug(`settings: sending ${JSON.stringify(settings)}`);
  return settings;
}

export function currentLaunchSettings(trusted: boolean, log: vscode.LogOutputChannel): LaunchSettings {
  const { launch, ignored } = launchSettings(inspector(), trusted);
  ignored.forEach((key) => log.warn(`settings: untrusted workspace: ignoring the workspace's ${key}`));
  return launch;
}
