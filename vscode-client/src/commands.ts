// The extension's commands. Those that ask the server use its workspace/executeCommand commands
// `buildwise.explain`, `buildwise.showKnowledge` and `buildwise.doctor`.
import * as vscode from "vscode";
import { ResultDocuments } from "./documents";
import { pythonExtensionInterpreter } from "./interpreter";
import { requirementNameAt } from "./requirement";
import { ServerManager } from "./server";

interface MarkdownResult {
  markdown: string;
}

export function registerCommands(server: ServerManager, documents: ResultDocuments): vscode.Disposable[] {
  const fail = (what: string) => (err: unknown) =>
    void vscode.window.showErrorMessage(`buildwise: ${what}: ${err instanceof Error ? err.message : String(err)}`);
  return [
    vscode.commands.registerCommand("buildwise.restartServer", () => server.restart().catch(fail("restart"))),
    vscode.commands.registerCommand("buildwise.showOutput", () => server.output.show()),
    vscode.commands.registerCommand("buildwise.explainBuildFailure", () =>
      explainBuildFailure(server, documents).catch(fail("explain")),
    ),
    vscode.commands.registerCommand("buildwise.showKnowledgeEntry", () =>
      showKnowledgeEntry(server, documents).catch(fail("knowledge entry")),
    ),
    vscode.commands.registerCommand("buildwise.checkThisMachine", () =>
      checkThisMachine(server, documents).catch(fail("check this machine")),
    ),
  ];
}

/** The selected text, else the contents of a log file the user picks. */
async function buildLog(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (editor !== undefined && !editor.selection.isEmpty) {
    return editor.document.getText(editor.selection);
  }
  const picked = await vscode.window.showOpenDialog({
    title: "Choose the log of a failed pip install (or select its text in an editor first)",
    canSelectMany: false,
    filters: { "Logs and text": ["log", "txt", "out"], "All files": ["*"] },
  });
  if (picked?.[0] === undefined) {
    return undefined;
  }
  return new TextDecoder("utf-8").decode(await vscode.workspace.fs.readFile(picked[0]));
}

async function explainBuildFailure(server: ServerManager, documents: ResultDocuments): Promise<void> {
  const text = await buildLog();
  if (text === undefined || text.trim() === "") {
    return;
  }
  const result = await server.execute<MarkdownResult & { cause_kind?: string }>("buildwise.explain", [{ text }]);
  await documents.show("pip build failure explained", result.markdown);
}

async function showKnowledgeEntry(server: ServerManager, documents: ResultDocuments): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  let name: string | undefined;
  if (editor !== undefined) {
    const position = editor.selection.active;
    const path = editor.document.uri.path;
    const isToml = path.endsWith(".toml") || path.endsWith("/Pipfile");
    name = requirementNameAt(editor.document.lineAt(position.line).text, position.character, isToml);
  }
  name ??= await vscode.window.showInputBox({
    title: "buildwise: show the knowledge entry of",
    prompt: "No dependency under the cursor: which PyPI project?",
    placeHolder: "numpy",
  });
  if (name === undefined || name.trim() === "") {
    return;
  }
  const result = await server.execute<MarkdownResult>("buildwise.showKnowledge", [{ name: name.trim() }]);
  await documents.show(`knowledge ${name.trim()}`, result.markdown);
}

/** `kb-lint doctor` for the workspace folder, for the Python extension's interpreter when there is one. */
async function checkThisMachine(server: ServerManager, documents: ResultDocuments): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const args: { path?: string; python?: string } = {};
  if (folder !== undefined) {
    args.path = folder.fsPath;
  }
  const python = vscode.workspace.isTrusted ? await pythonExtensionInterpreter(folder) : undefined;
  if (python !== undefined) {
    args.python = python;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "buildwise: checking this machine" },
    () => server.execute<MarkdownResult>("buildwise.doctor", [args]),
  );
  await documents.show("check this machine", result.markdown);
}
