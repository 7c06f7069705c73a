// The language client: start, stop, restart, and settings sent to the running server.
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
} from "vscode-languageclient/node";
import { chooseInterpreter, findServer, launcherPath } from "./interpreter";
import { currentLaunchSettings, currentServerSettings } from "./config";

/** The files the server checks: by pattern, since code-server opens pyproject.toml as plain text. */
export const DOCUMENT_PATTERNS = [
  "**/pyproject.toml",
  "**/*requirements*.txt",
  "**/requirements/*.txt",
  "**/reqs/*.txt",
  "**/constraints*.txt",
  "**/*.in",
  "**/uv.lock",
  "**/pylock.toml",
  "**/pylock.*.toml",
  "**/poetry.lock",
  "**/pdm.lock",
  "**/Pipfile",
  "**/Pipfile.lock",
  "**/setup.cfg",
  "**/setup.py",
  "**/tox.ini",
  "**/environment*.yml",
  "**/environment*.yaml",
];

/** The document selector: the files above and the scripts `buildwise.scripts` names. */
export function documentPatterns(scripts: string[] | undefined): string[] {
  const extra = (scripts ?? []).map((glob) => (glob.startsWith("**/") ? glob : `**/${glob.replace(/^\.?\//, "")}`));
  return [...DOCUMENT_PATTERNS, ...extra];
}

export class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  /** Restarts run one after the other: a burst of setting changes must not leave two servers. */
  private restarts: Promise<void> = Promise.resolve();

  constructor(
    private readonly extensionPath: string,
    readonly output: vscode.LogOutputChannel,
  ) {}

  get running(): LanguageClient | undefined {
    return this.client?.isRunning() ? this.client : undefined;
  }

  start(): Promise<void> {
    this.starting ??= this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  restart(): Promise<void> {
    this.restarts = this.restarts.then(async () => {
      await this.starting;
      await this.stop();
      await this.start();
    }).catch((err) => this.output.error(`server: restart: ${String(err)}`));
    return this.restarts;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      try {
        await client.stop(5_000);
      } catch (err) {
        this.output.warn(`server: stop: ${String(err)}`);
      }
      await client.dispose();
    }
  }

  /** Push the current settings to the running server (workspace/didChangeConfiguration). */
  async sendSettings(): Promise<void> {
    const client = this.running;
    if (client !== undefined) {
      await client.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { buildwise: currentServerSettings(this.output) },
      });
    }
  }

  /** workspace/executeCommand, with a clear error when this server version does not offer `command`. */
  async execute<T>(command: string, args: unknown[]): Promise<T> {
    await this.starting;
    const client = this.running;
    if (client === undefined) {
      throw new Error("the buildwise server is not running (see buildwise: Show Output)");
    }
    const offered = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
    if (!offered.includes(command)) {
      throw new Error(`this buildwise server does not offer ${command}; update buildwise`);
    }
    return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as T;
  }

  private async doStart(): Promise<void> {
    const trusted = vscode.workspace.isTrusted;
    const launch = currentLaunchSettings(trusted, this.output);
    const found = await findServer(launch, trusted, launcherPath(this.extensionPath), this.output);
    if ("problem" in found) {
      this.output.error(found.problem);
      void this.showProblem(found.problem);
      return;
    }
    const serverOptions: ServerOptions = {
      command: found.command,
      args: found.args,
      options: { env: { ...process.env, PYTHONUNBUFFERED: "1" } },
    };
    const settings = currentServerSettings(this.output);
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentPatterns(settings.scripts).map((pattern) => ({ scheme: "file", pattern })),
      initializationOptions: { buildwise: settings },
      outputChannel: this.output,
      traceOutputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      diagnosticCollectionName: "buildwise",
    };
    this.output.info(`server: starting ${[found.command, ...found.args].join(" ")}`);
    const client = new LanguageClient("buildwise", "buildwise", serverOptions, clientOptions);
    this.client = client;
    try {
      await client.start();
      const info = client.initializeResult?.serverInfo;
      this.output.info(`server: ${info?.name ?? "?"} ${info?.version ?? ""} running`);
    } catch (err) {
      this.output.error(`server: could not start: ${String(err)}`);
      void this.showProblem(`The buildwise server did not start: ${String(err)}`);
    }
  }

  private async showProblem(message: string): Promise<void> {
    const choose = "Choose Interpreter";
    const output = "Show Output";
    const answer = await vscode.window.showErrorMessage(message, choose, output);
    if (answer === choose) {
      await chooseInterpreter(); // the change of setting or selection restarts the server
    } else if (answer === output) {
      this.output.show(true);
    }
  }

  dispose(): void {
    void this.stop();
  }
}
