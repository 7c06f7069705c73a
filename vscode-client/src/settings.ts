// Editor settings -> what the server and the launcher get. Pure (no `vscode` import): unit-tested.
//
// Only values the user set somewhere are sent: a default must not pose as a choice, because the server
// lets editor settings fill in only what `[tool.kb-lint]` leaves unset (the project's own settings rule).

/** What `WorkspaceConfiguration.inspect(key)` returns, reduced to the levels used here. */
export interface Inspected {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** `key` is relative to the `buildwise` section, e.g. "python" for `buildwise.python`. */
export type Inspect = (key: string) => Inspected | undefined;

/** The `buildwise` object of initializationOptions and workspace/didChangeConfiguration. */
export interface ServerSettings {
  python?: string[];
  platforms?: string[];
  distro?: string;
  online?: boolean;
  freeThreaded?: boolean;
  select?: string[];
  ignore?: string[];
  severity?: Record<string, string>;
  logLevel?: string;
  /** Globs of PEP 723 scripts (`# /// script` blocks) to check, relative to the workspace folder. */
  scripts?: string[];
}

export interface LaunchSettings {
  interpreter?: string;
  serverCommand?: string[];
}

export const PLATFORMS = [
  "linux-x86_64",
  "linux-aarch64",
  "linux-musl-x86_64",
  "linux-musl-aarch64",
  "macos-x86_64",
  "macos-arm64",
  "windows-amd64",
  "windows-arm64",
];
export const SEVERITIES = ["error", "warning", "info", "hint"];
export const LOG_LEVELS = ["debug", "info", "warning", "error"];
/** Settings whose change needs a new server process rather than a notification. */
export const RESTART_KEYS = ["interpreter", "serverCommand", "scripts"];

const PYTHON_RE = /^3\.\d{1,2}t?$/;
const CODE_RE = /^KB\d{0,3}$/;

/** The most specific value the user set (folder > workspace > user), or undefined. */
function userValue(inspected: Inspected | undefined): unknown {
  if (inspected === undefined) {
    return undefined;
  }
  return inspected.workspaceFolderValue ?? inspected.workspaceValue ?? inspected.globalValue;
}

/** A list setting as trimmed, non-empty strings; a comma-separated string is accepted too. */
function strings(value: unknown): string[] | undefined {
  const items = typeof value === "string" ? value.split(",") : value;
  if (!Array.isArray(items)) {
    return undefined;
  }
  return items.filter((v): v is string => typeof v === "string").map((v) => v.trim()).filter((v) => v !== "");
}

function checked(key: string, values: string[] | undefined, ok: (v: string) => boolean, problems: string[], hint: string) {
  if (values === undefined) {
    return undefined;
  }
  const bad = values.filter((v) => !ok(v));
  if (bad.length > 0) {
    problems.push(`buildwise.${key}: ignoring ${bad.join(", ")} (${hint})`);
  }
  const good = [...new Set(values.filter(ok))];
  return good.length > 0 ? good : undefined;
}

export function serverSettings(inspect: Inspect): { settings: ServerSettings; problems: string[] } {
  const problems: string[] = [];
  const settings: ServerSettings = {};
  const get = (key: string) => userValue(inspect(key));

  settings.python = checked("python", strings(get("python")), (v) => PYTHON_RE.test(v), problems, "use 3.12 or 3.13t");
  settings.platforms = checked(
    "platforms",
    strings(get("platforms")),
    (v) => PLATFORMS.includes(v),
    problems,
    `known: ${PLATFORMS.join(", ")}`,
  );
  for (const key of ["select", "ignore"] as const) {
    const codes = strings(get(key))?.map((c) => c.toUpperCase());
    settings[key] = checked(key, codes, (c) => CODE_RE.test(c), problems, "use a code or prefix such as KB1 or KB103");
  }
  const severity = get("severity");
  if (severity !== undefined && (typeof severity !== "object" || severity === null || Array.isArray(severity))) {
    problems.push("buildwise.severity: expected an object such as {\"KB104\": \"hint\"}");
  } else if (severity !== undefined) {
    const parsed: Record<string, string> = {};
    for (const [code, level] of Object.entries(severity as Record<string, unknown>)) {
      const name = typeof level === "string" ? level.trim().toLowerCase() : "";
      if (CODE_RE.test(code.trim().toUpperCase()) && SEVERITIES.includes(name)) {
        parsed[code.trim().toUpperCase()] = name;
      } else {
        problems.push(`buildwise.severity: ignoring ${code}: ${String(level)} (use error, warning, info or hint)`);
      }
    }
    settings.severity = Object.keys(parsed).length > 0 ? parsed : undefined;
  }
  for (const key of ["online", "freeThreaded"] as const) {
    const value = get(key);
    settings[key] = typeof value === "boolean" ? value : undefined;
  }
  const distro = get("distro");
  settings.distro = typeof distro === "string" && distro.trim() !== "" ? distro.trim().toLowerCase() : undefined;
  settings.scripts = checked("scripts", strings(get("scripts")), (g) => g.endsWith(".py"), problems, "globs of .py files");
  const level = get("logLevel");
  if (typeof level === "string" && LOG_LEVELS.includes(level.toLowerCase())) {
    settings.logLevel = level.toLowerCase();
  } else if (level !== undefined) {
    problems.push(`buildwise.logLevel: ignoring ${String(level)} (use ${LOG_LEVELS.join(", ")})`);
  }
  for (const key of Object.keys(settings) as (keyof ServerSettings)[]) {
    if (settings[key] === undefined) {
      delete settings[key];
    }
  }
  return { settings, problems };
}

/**
 * How to start the server. In an untrusted workspace only the user's own settings count: a workspace
 * must not be able to make the editor run a program of its choosing (`.vscode/settings.json` could name
 * any file as the interpreter).
 */
export function launchSettings(inspect: Inspect, trusted: boolean): { launch: LaunchSettings; ignored: string[] } {
  const ignored: string[] = [];
  const pick = (key: string): unknown => {
    const inspected = inspect(key);
    if (trusted) {
      return userValue(inspected);
    }
    if (inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined) {
      ignored.push(`buildwise.${key}`);
    }
    return inspected?.globalValue;
  };
  const launch: LaunchSettings = {};
  const interpreter = pick("interpreter");
  if (typeof interpreter === "string" && interpreter.trim() !== "") {
    launch.interpreter = interpreter.trim();
  }
  const command = strings(pick("serverCommand"));
  if (command !== undefined && command.length > 0) {
    launch.serverCommand = command;
  }
  return { launch, ignored };
}

/** `${workspaceFolder}`, `${userHome}` and a leading `~` in an interpreter path. */
export function expandPath(path: string, workspaceFolder: string | undefined, home: string): string {
  let out = path.replace(/^~(?=$|[\\/])/, home).replace(/\$\{userHome\}/g, home);
  if (workspaceFolder !== undefined) {
    out = out.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  return out;
}
