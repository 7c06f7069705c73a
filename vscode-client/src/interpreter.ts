// Which program runs the server: buildwise.serverCommand, else buildwise.interpreter, else the Python
// extension's selected interpreter, else python3/python on PATH. Each interpreter is asked first
// (`launch.py --check`) whether it can run the bundled server, so a bad one gets a clear message.
import { execFile } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { PythonExtension } from "@vscode/python-extension";
import { expandPath, LaunchSettings } from "./settings";

export interface ServerLaunch {
  command: string;
  args: string[];
  /** For the log: where the choice came from. */
  origin: string;
}

export interface NoServer {
  problem: string;
}

interface CheckResult {
  ok: boolean;
  python?: string;
  problem?: string | null;
}

function check(python: string, launcher: string): Promise<CheckResult> {
  return new Promise((resolve) => {
    execFile(python, [launcher, "--check"], { timeout: 20_000, windowsHide: true }, (error, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "") as CheckResult);
      } catch {
        const why = error?.code === "ENOENT" ? "not found" : (stderr.trim() || error?.message || "no answer").slice(0, 300);
        resolve({ ok: false, problem: `${python}: ${why}` });
      }
    });
  });
}

/** The Python extension's interpreter for `folder`; undefined when it is absent or has none. */
export async function pythonExtensionInterpreter(folder: vscode.Uri | undefined): Promise<string | undefined> {
  if (vscode.extensions.getExtension("ms-python.python") === undefined) {
    return undefined;
  }
  try {
    const api = await PythonExtension.api();
    const env = await api.environments.resolveEnvironment(api.environments.getActiveEnvironmentPath(folder));
    return env?.executable.uri?.fsPath;
  } catch {
    return undefined;
  }
}

/** Subscribe to the Python extension's interpreter changes (no-op without it). */
export async function onPythonInterpreterChange(listener: () => void): Promise<vscode.Disposable | undefined> {
  if (vscode.extensions.getExtension("ms-python.python") === undefined) {
    return undefined;
  }
  try {
    const api = await PythonExtension.api();
    return api.environments.onDidChangeActiveEnvironmentPath(() => listener());
  } catch {
    return undefined;
  }
}

export async function findServer(
  launch: LaunchSettings,
  trusted: boolean,
  launcher: string,
  log: vscode.LogOutputChannel,
): Promise<ServerLaunch | NoServer> {
  if (launch.serverCommand !== undefined) {
    const [command, ...args] = launch.serverCommand;
    return { command, args, origin: "buildwise.serverCommand" };
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const candidates: [string, string][] = [];
  if (launch.interpreter !== undefined) {
    // Untrusted: no ${workspaceFolder}, so a user setting cannot be pointed into the workspace either.
    const expanded = expandPath(launch.interpreter, trusted ? folder?.fsPath : undefined, os.homedir());
    if (expanded.includes("${")) {
      return { problem: `buildwise.interpreter "${launch.interpreter}" cannot be used here (untrusted workspace or unknown variable).` };
    }
    candidates.push([expanded, "buildwise.interpreter"]);
  } else {
    // In an untrusted workspace the Python extension's choice may be the workspace's own .venv: skip it.
    const selected = trusted ? await pythonExtensionInterpreter(folder) : undefined;
    if (selected !== undefined) {
      candidates.push([selected, "the Python extension's selected interpreter"]);
    }
    const onPath = process.platform === "win32" ? ["py", "python"] : ["python3", "python"];
    candidates.push(...onPath.map((p): [string, string] => [p, "PATH"]));
  }
  const problems: string[] = [];
  for (const [python, origin] of candidates) {
    const result = await check(python, launcher);
    if (result.ok) {
      log.info(`server: Python ${result.python} from ${origin}: ${python}`);
      return { command: python, args: [launcher], origin };
    }
    log.warn(`server: cannot use ${python} (${origin}): ${result.problem}`);
    problems.push(result.problem ?? `${python}: unusable`);
  }
  return { problem: `No usable Python >= 3.10 to run the buildwise server. ${problems.join("; ")}` };
}

/** Let the user pick an interpreter: the Python extension's picker if present, else a file dialog. */
export async function chooseInterpreter(): Promise<void> {
  if (vscode.extensions.getExtension("ms-python.python") !== undefined) {
    await vscode.commands.executeCommand("python.setInterpreter");
    return;
  }
  const picked = await vscode.window.showOpenDialog({
    title: "Choose a Python (3.10 or newer) to run the buildwise server",
    canSelectMany: false,
    defaultUri: vscode.Uri.file(process.platform === "win32" ? os.homedir() : "/usr/bin"),
  });
  if (picked?.[0] !== undefined) {
    await vscode.workspace
      .getConfiguration("buildwise")
      .update("interpreter", picked[0].fsPath, vscode.ConfigurationTarget.Global);
  }
}

export function launcherPath(extensionPath: string): string {
  return path.join(extensionPath, "python", "launch.py");
}
