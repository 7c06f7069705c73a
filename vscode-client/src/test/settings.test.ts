import { test } from "node:test";
import assert from "node:assert/strict";
import { expandPath, Inspect, Inspected, launchSettings, serverSettings } from "../settings";

/** An `inspect` over user (global), workspace and folder levels, with the package.json defaults. */
function inspector(levels: { user?: Record<string, unknown>; workspace?: Record<string, unknown>; folder?: Record<string, unknown> }): Inspect {
  const defaults: Record<string, unknown> = { python: [], platforms: [], online: false, logLevel: "info", severity: {} };
  return (key: string): Inspected => ({
    defaultValue: defaults[key],
    globalValue: levels.user?.[key],
    workspaceValue: levels.workspace?.[key],
    workspaceFolderValue: levels.folder?.[key],
  });
}

test("defaults send nothing, so [tool.kb-lint] decides", () => {
  assert.deepEqual(serverSettings(inspector({})), { settings: {}, problems: [] });
});

test("every server key is passed through with the names the server reads", () => {
  const { settings, problems } = serverSettings(
    inspector({
      user: {
        python: ["3.12", "3.13t"],
        platforms: ["linux-x86_64", "macos-arm64"],
        distro: "Fedora",
        online: true,
        freeThreaded: false,
        select: ["kb1", "KB201"],
        ignore: ["KB104"],
        severity: { kb104: "Hint", KB1: "error" },
        logLevel: "DEBUG",
      },
    }),
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(settings, {
    python: ["3.12", "3.13t"],
    platforms: ["linux-x86_64", "macos-arm64"],
    distro: "fedora",
    online: true,
    freeThreaded: false,
    select: ["KB1", "KB201"],
    ignore: ["KB104"],
    severity: { KB104: "hint", KB1: "error" },
    logLevel: "debug",
  });
});

test("an explicit false is a choice and is sent; an unset boolean is not", () => {
  assert.deepEqual(serverSettings(inspector({ user: { online: false } })).settings, { online: false });
});

test("the most specific level wins: folder over workspace over user", () => {
  const inspect = inspector({ user: { python: ["3.10"] }, workspace: { python: ["3.11"] }, folder: { python: ["3.12"] } });
  assert.deepEqual(serverSettings(inspect).settings.python, ["3.12"]);
  assert.deepEqual(serverSettings(inspector({ user: { python: ["3.10"] }, workspace: { python: ["3.11"] } })).settings.python, ["3.11"]);
});

test("bad values are reported and skipped, good ones kept", () => {
  const { settings, problems } = serverSettings(
    inspector({
      user: {
        python: ["3.12", "2.7", " "],
        platforms: ["linux-x86_64", "solaris-sparc"],
        select: ["E501"],
        severity: { KB104: "loud", KB2: "warning" },
        logLevel: "chatty",
      },
    }),
  );
  assert.deepEqual(settings, { python: ["3.12"], platforms: ["linux-x86_64"], severity: { KB2: "warning" } });
  assert.equal(problems.length, 5);
  assert.match(problems[0], /buildwise\.python: ignoring 2\.7/);
  assert.match(problems[1], /solaris-sparc/);
  assert.match(problems[2], /buildwise\.select: ignoring E501/);
  assert.match(problems[3], /KB104: loud/);
  assert.match(problems[4], /logLevel: ignoring chatty/);
});

test("lists accept a comma-separated string, drop blanks and duplicates", () => {
  assert.deepEqual(serverSettings(inspector({ user: { python: "3.12, 3.13,,3.12" } })).settings, { python: ["3.12", "3.13"] });
});

test("an empty list is no choice", () => {
  assert.deepEqual(serverSettings(inspector({ user: { python: [], ignore: [] } })).settings, {});
});

test("severity must be an object", () => {
  const { settings, problems } = serverSettings(inspector({ user: { severity: ["KB104"] } }));
  assert.deepEqual(settings, {});
  assert.match(problems[0], /expected an object/);
});

test("trusted workspace: the workspace may choose the interpreter and the server command", () => {
  const inspect = inspector({ user: { interpreter: "/usr/bin/python3" }, workspace: { interpreter: ".venv/bin/python", serverCommand: ["kb-lint", "serve"] } });
  assert.deepEqual(launchSettings(inspect, true), {
    launch: { interpreter: ".venv/bin/python", serverCommand: ["kb-lint", "serve"] },
    ignored: [],
  });
});

test("untrusted workspace: only the user's own interpreter counts, the workspace's is reported", () => {
  const inspect = inspector({
    user: { interpreter: "/usr/bin/python3" },
    workspace: { interpreter: "./evil", serverCommand: ["./evil.sh"] },
    folder: { interpreter: "./evil2" },
  });
  assert.deepEqual(launchSettings(inspect, false), {
    launch: { interpreter: "/usr/bin/python3" },
    ignored: ["buildwise.interpreter", "buildwise.serverCommand"],
  });
  assert.deepEqual(launchSettings(inspector({ workspace: { interpreter: "./evil" } }), false).launch, {});
});

test("blank launch settings are no choice", () => {
  assert.deepEqual(launchSettings(inspector({ user: { interpreter: "  ", serverCommand: [] } }), true).launch, {});
});

test("interpreter paths expand ~, ${userHome} and ${workspaceFolder}", () => {
  assert.equal(expandPath("~/venv/bin/python", "/w", "/home/u"), "/home/u/venv/bin/python");
  assert.equal(expandPath("${userHome}/py", "/w", "/home/u"), "/home/u/py");
  assert.equal(expandPath("${workspaceFolder}/.venv/bin/python", "/w", "/home/u"), "/w/.venv/bin/python");
  assert.equal(expandPath("${workspaceFolder}/x", undefined, "/home/u"), "${workspaceFolder}/x");
  assert.equal(expandPath("/opt/~x", "/w", "/home/u"), "/opt/~x");
});

test("scripts: globs of .py files are sent; others are reported", () => {
  const { settings, problems } = serverSettings(inspector({ workspace: { scripts: ["scripts/*.py", "tools/run.sh"] } }));
  assert.deepEqual(settings, { scripts: ["scripts/*.py"] });
  assert.deepEqual(problems, ["buildwise.scripts: ignoring tools/run.sh (globs of .py files)"]);
});
