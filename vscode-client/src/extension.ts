// Entry points: activate starts the server and wires settings, trust and interpreter changes to it.
import * as vscode from "vscode";
import { registerCommands } from "./commands";
import { ResultDocuments, SCHEME } from "./documents";
import { onPythonInterpreterChange } from "./interpreter";
import { ServerManager } from "./server";
import { RESTART_KEYS } from "./settings";

let server: ServerManager | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("buildwise", { log: true });
  server = new ServerManager(context.extensionPath, output);
  const documents = new ResultDocuments();
  const manager = server;
  context.subscriptions.push(
    output,
    manager,
    documents,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents),
    ...registerCommands(manager, documents),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (RESTART_KEYS.some((key) => event.affectsConfiguration(`buildwise.${key}`))) {
        void manager.restart();
      } else if (event.affectsConfiguration("buildwise")) {
        void manager.sendSettings();
      }
    }),
    // Trust lifts the limits on which interpreter may run: start again with the full choice.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void manager.restart()),
  );
  const pythonChanges = await onPythonInterpreterChange(() => {
    if (vscode.workspace.isTrusted && vscode.workspace.getConfiguration("buildwise").get("interpreter") === "") {
      void manager.restart();
    }
  });
  if (pythonChanges !== undefined) {
    context.subscriptions.push(pythonChanges);
  }
  await manager.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
