// The extension's commands. The two that ask the server use its workspace/executeCommand commands
// `buildwise.explain` and `buildwise.showKnowledge`.
import * as vscode from "vscode";
import { ResultDocuments } from "./documents";
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
    const isToml = editor.document.uri.path.endsWith(".toml");
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
