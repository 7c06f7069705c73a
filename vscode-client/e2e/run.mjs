// Real-editor end-to-end test (`npm run test:e2e`): installs the packaged .vsix into code-server, opens
// tests/e2e/project in Debian's Chromium through playwright-core and checks what a person sees:
// squiggles and Problems entries (codes and messages), a hover, a quick fix and the text after it.
// Recipe: shared/recipes/vscode-e2e.md. Writes report.json and screenshots to the artifacts folder and
// exits 0 only when every check passed. Everything binds 127.0.0.1 and is stopped before exit.
//
// Environment (all optional): BUILDWISE_VSIX, BUILDWISE_E2E_PYTHON (the interpreter the extension is
// told to use; default python3), BUILDWISE_E2E_CACHE (where install-e2e-deps.sh put code-server),
// CODE_SERVER, CHROMIUM, BUILDWISE_E2E_ARTIFACTS, BUILDWISE_E2E_PROJECT, BUILDWISE_E2E_TIMEOUT_MS.
// The workbench gestures (open a file, read Problems, hover...) are in workbench.mjs.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import {
  editorText, frameText, goToLine, hoverText, openFile, openSetting, runCommand, text, TIMEOUT, waitForProblems,
} from "./workbench.mjs";

const CLIENT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const REPO = resolve(CLIENT, "..");
const env = process.env;
const VSIX = resolve(env.BUILDWISE_VSIX ?? join(CLIENT, "buildwise.vsix"));
const CACHE = env.BUILDWISE_E2E_CACHE ?? join(homedir(), ".cache", "buildwise-e2e");
const CODE_SERVER = env.CODE_SERVER ?? join(CACHE, "code-server", "node_modules", ".bin", "code-server");
const CHROMIUM = env.CHROMIUM ?? "/usr/bin/chromium";
const PYTHON = env.BUILDWISE_E2E_PYTHON ?? "python3";
const ARTIFACTS = resolve(env.BUILDWISE_E2E_ARTIFACTS ?? join(REPO, "artifacts", "e2e", "vscode"));
const PROJECT = resolve(env.BUILDWISE_E2E_PROJECT ?? join(REPO, "tests", "e2e", "project"));

/** What a person must see in Problems after opening both files. */
const EXPECTED_PROBLEMS = [
  { file: "pyproject.toml", code: "KB103", message: "the source tree needs Cython at build time" },
  { file: "requirements.txt", code: "KB201", message: "numpy >=2.1 has no wheel for CPython 3.9" },
];
const HOVER = { file: "requirements.txt", token: "numpy", expect: ["numpy (requirements)", "Wheels for your Pythons"] };
const QUICK_FIX = {
  file: "pyproject.toml",
  line: 2,
  code: "KB103",
  title: "Add 'Cython' to build-system.requires",
  textAfter: 'requires = ["setuptools>=64", "Cython"]',
};

const report = { ok: false, vsix: VSIX, python: PYTHON, steps: [], problems: [], screenshots: [] };
const started = Date.now();

async function step(name, fn) {
  const t0 = Date.now();
  const entry = { name, ok: false, ms: 0 };
  report.steps.push(entry);
  try {
    entry.detail = await fn();
    entry.ok = true;
  } finally {
    entry.ms = Date.now() - t0;
    console.log(`${entry.ok ? "ok  " : "FAIL"} ${name} (${entry.ms} ms)`);
  }
  return entry.detail;
}

async function screenshot(page, name) {
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  report.screenshots.push(file);
}

function freePort() {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => done(port));
    });
  });
}

/** User settings: quiet, no telemetry, the interpreter under test (code-server re-reads the file). */
function writeUserSettings(overrides) {
  writeFileSync(report.settingsFile, JSON.stringify({
    "buildwise.interpreter": PYTHON,
    "buildwise.logLevel": "debug",
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "workbench.colorTheme": "Default Dark Modern",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "telemetry.telemetryLevel": "off",
    "security.workspace.trust.enabled": false,
    "editor.hover.delay": 200,
    "editor.minimap.enabled": false,
    "editor.fontSize": 15,
    "window.commandCenter": false,
    ...overrides,
  }, null, 2));
}

async function run(page, baseUrl) {
  await step("open workbench", async () => {
    await page.goto(`${baseUrl}/?folder=${encodeURIComponent(report.workspace)}`);
    await page.locator(".monaco-workbench").waitFor({ timeout: TIMEOUT });
  });

  await step("squiggle in pyproject.toml", async () => {
    const tOpen = Date.now();
    await openFile(page, "pyproject.toml");
    const t0 = Date.now();
    await page.locator(".monaco-editor .squiggly-error, .monaco-editor .squiggly-warning").first()
      .waitFor({ timeout: TIMEOUT });
    return { msToOpen: t0 - tOpen, msOpenToSquiggle: Date.now() - t0 };
  });

  await step("squiggle in requirements.txt", async () => {
    await openFile(page, "requirements.txt");
    await page.locator(".editor-group-container.active .squiggly-error, .editor-group-container.active .squiggly-warning")
      .first().waitFor({ timeout: TIMEOUT });
  });

  await step("Problems: codes and messages", async () => {
    await page.keyboard.press("Control+Shift+M");
    await page.locator(".markers-panel").waitFor({ timeout: TIMEOUT });
    const has = (rows, e) => rows.some((r) => r.includes(e.message) && r.includes(e.code));
    const rows = await waitForProblems(page, (rs) => EXPECTED_PROBLEMS.every((e) => has(rs, e)),
      EXPECTED_PROBLEMS.map((e) => e.code).join(" and "));
    report.problems = rows;
    for (const e of EXPECTED_PROBLEMS) {
      const row = rows.find((r) => r.includes(e.code));
      if (!row.includes("buildwise")) {
        throw new Error(`${e.code} row does not name its source: ${row}`);
      }
    }
    await screenshot(page, "1-problems");
    return rows;
  });

  await step("hover on a dependency", async () => {
    const shown = await hoverText(page, HOVER);
    report.hover = shown;
    await screenshot(page, "2-hover");
    await page.mouse.move(5, 5);
    await page.keyboard.press("Escape");
    return shown;
  });

  await step("quick fix", async () => {
    await openFile(page, QUICK_FIX.file);
    await goToLine(page, QUICK_FIX.line);
    await page.keyboard.press("Control+.");
    const rows = page.locator(".action-widget .monaco-list-row");
    await rows.first().waitFor({ timeout: TIMEOUT });
    const titles = (await rows.allInnerTexts()).map((t) => text(t).trim());
    report.quickFixes = titles;
    const target = titles.findIndex((t) => t.includes(QUICK_FIX.title));
    if (target < 0) {
      throw new Error(`no "${QUICK_FIX.title}" among ${JSON.stringify(titles)}`);
    }
    await screenshot(page, "3-quick-fix-menu");
    // A pointer-blocking overlay swallows clicks: walk the focus down with the keyboard.
    for (let i = 0; i < titles.length; i++) {
      const focused = text(await page.locator(".action-widget .monaco-list-row.focused").innerText().catch(() => ""));
      if (focused.includes(QUICK_FIX.title)) {
        break;
      }
      await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Enter");
    const deadline = Date.now() + TIMEOUT;
    let after = "";
    while (Date.now() < deadline && !(after = await editorText(page)).includes(QUICK_FIX.textAfter)) {
      await page.waitForTimeout(100);
    }
    if (!after.includes(QUICK_FIX.textAfter)) {
      throw new Error(`editor text after the fix lacks ${QUICK_FIX.textAfter}:\n${after}`);
    }
    report.textAfterFix = after;
    const rowsAfter = await waitForProblems(page, (rs) => !rs.some((r) => r.includes(QUICK_FIX.code)),
      `${QUICK_FIX.code} gone`);
    report.problemsAfterFix = rowsAfter;
    await screenshot(page, "4-after-fix");
    return { titles, problemsAfterFix: rowsAfter };
  });

  await step("output channel shows the server", async () => {
    await runCommand(page, "buildwise: Show Output");
    const log = page.locator(".panel .monaco-editor .view-lines", { hasText: "running" }).first();
    await log.waitFor({ timeout: TIMEOUT });
    await screenshot(page, "5-output");
    return text(await log.innerText()).split("\n").filter((l) => l.includes("server:"));
  });

  await step("show the knowledge entry of the dependency under the cursor", async () => {
    await openFile(page, "requirements.txt");
    await goToLine(page, 2);
    await runCommand(page, "buildwise: Show Knowledge Entry");
    const tab = page.locator(".tab", { hasText: "knowledge-numpy" }).first();
    await tab.waitFor({ timeout: TIMEOUT });
    const body = await frameText(page, "Wheels for your Pythons");
    await screenshot(page, "6a-knowledge-entry");
    return body.split("\n").slice(0, 6);
  });

  await step("explain a pip build failure (selected log text)", async () => {
    await openFile(page, "build.log");
    await page.locator(".editor-group-container.active .monaco-editor").first().click();
    await page.keyboard.press("Control+A");
    await runCommand(page, "buildwise: Explain pip Build Failure");
    const tab = page.locator(".tab", { hasText: "pip-build-failure-explained" }).first();
    await tab.waitFor({ timeout: TIMEOUT });
    const body = await frameText(page, "pg_config");
    if (!body.includes("libpq-dev")) {
      throw new Error(`the explanation does not name libpq-dev: ${body.slice(0, 400)}`);
    }
    await screenshot(page, "6b-explained");
    return body.split("\n").slice(0, 6);
  });

  await step("check this machine (kb-lint doctor)", async () => {
    await runCommand(page, "buildwise: Check This Machine");
    const tab = page.locator(".tab", { hasText: "check-this-machine" }).first();
    await tab.waitFor({ timeout: TIMEOUT });
    const body = await frameText(page, "What the builds need");
    if (!body.includes("C compiler") || !body.includes("fastmath")) {
      throw new Error(`the report does not show the C compiler check for fastmath: ${body.slice(0, 400)}`);
    }
    await screenshot(page, "6c-check-this-machine");
    return body.split("\n").slice(0, 8);
  });

  await step("a changed setting reaches the server: ignore KB201", async () => {
    // In the Settings editor, as a person would (which also shows the setting is contributed).
    await openSetting(page, "buildwise.ignore", "Rule codes or prefixes to turn off");
    const item = page.locator(".settings-editor .setting-item-contents", { hasText: "Rule codes or prefixes to turn off" });
    await item.locator(".monaco-button", { hasText: "Add Item" }).click();
    await page.keyboard.type("KB201");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Control+Shift+M");
    const rows = await waitForProblems(page, (rs) => !rs.some((r) => r.includes("KB201")), "KB201 gone");
    await screenshot(page, "6-setting-applied");
    await hoverText(page, HOVER); // the server still answers: KB201 went because of the setting, not a stop
    await page.mouse.move(5, 5);
    return rows;
  });

  await step("no usable Python: a message with Choose Interpreter", async () => {
    const input = await openSetting(page, "buildwise.interpreter", "runs the language server");
    await input.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("/nonexistent/bin/python3");
    await page.keyboard.press("Tab");
    const toast = page.locator(".notification-toast", { hasText: "No usable Python >= 3.10" }).first();
    await toast.waitFor({ timeout: TIMEOUT });
    const button = toast.locator(".monaco-button", { hasText: "Choose Interpreter" });
    if ((await button.count()) !== 1) {
      throw new Error(`no Choose Interpreter button: ${await toast.innerText()}`);
    }
    await screenshot(page, "7-no-python");
    return text(await toast.innerText()).replace(/\s+/g, " ").trim();
  });
}

async function main() {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const [what, path] of [["the .vsix (npm run package)", VSIX], ["code-server (scripts/install-e2e-deps.sh)", CODE_SERVER], ["Chromium", CHROMIUM]]) {
    if (!existsSync(path)) {
      report.error = `missing ${what}: ${path}`;
      return 2;
    }
  }
  const tmp = mkdtempSync(join(tmpdir(), "buildwise-e2e-"));
  const dirs = Object.fromEntries(["config", "data", "cache", "state", "runtime", "userdata", "extensions"].map((d) => [d, join(tmp, d)]));
  Object.values(dirs).forEach((d) => mkdirSync(d, { recursive: true, mode: 0o700 }));
  report.workspace = join(tmp, "project");
  cpSync(PROJECT, report.workspace, { recursive: true });
  const port = await freePort();
  const configFile = join(tmp, "code-server.yaml");
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  mkdirSync(join(dirs.userdata, "User"), { recursive: true });
  report.settingsFile = join(dirs.userdata, "User", "settings.json");
  writeUserSettings({});
  const childEnv = {
    ...env,
    XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data, XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state, XDG_RUNTIME_DIR: dirs.runtime,
    BUILDWISE_CACHE_DIR: join(dirs.cache, "buildwise"),
  };
  const common = ["--config", configFile, "--user-data-dir", dirs.userdata, "--extensions-dir", dirs.extensions];
  const install = spawnSync(CODE_SERVER, [...common, "--install-extension", VSIX], { env: childEnv, encoding: "utf-8", timeout: 120_000 });
  if (install.status !== 0) {
    report.error = `--install-extension failed: ${install.stdout}${install.stderr}`;
    return 1;
  }
  const serverLog = [];
  // detached: its own session and process group (setsid), so teardown ends code-server and its children.
  const codeServer = spawn(CODE_SERVER, [...common, "--disable-telemetry", "--disable-update-check",
    "--disable-workspace-trust", "--disable-getting-started-override", report.workspace],
  { env: childEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  codeServer.stdout.on("data", (d) => serverLog.push(String(d)));
  codeServer.stderr.on("data", (d) => serverLog.push(String(d)));
  const baseUrl = `http://127.0.0.1:${port}`;
  let browser;
  try {
    await step("code-server /healthz", async () => {
      const deadline = Date.now() + TIMEOUT;
      while (Date.now() < deadline) {
        if (codeServer.exitCode !== null) {
          throw new Error(`code-server exited: ${serverLog.join("")}`);
        }
        const ok = await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
        if (ok) {
          return;
        }
        await new Promise((r) => setTimeout(r, 150));
      }
      throw new Error(`no /healthz on ${baseUrl}: ${serverLog.join("")}`);
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(TIMEOUT);
    try {
      await run(page, baseUrl);
      report.ok = true;
    } catch (err) {
      report.error = String(err?.stack ?? err);
      await screenshot(page, "failure").catch(() => undefined);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    try {
      process.kill(-codeServer.pid, "SIGTERM");
    } catch {
      // already gone
    }
    const exited = await Promise.race([
      new Promise((r) => codeServer.exitCode !== null ? r(true) : codeServer.once("exit", () => r(true))),
      new Promise((r) => setTimeout(() => r(false), 5_000)),
    ]);
    if (!exited) {
      try { process.kill(-codeServer.pid, "SIGKILL"); } catch { /* gone */ }
    }
    if (!report.ok) {
      cpSync(join(dirs.userdata, "logs"), join(ARTIFACTS, "logs"), { recursive: true, force: true });
      writeFileSync(join(ARTIFACTS, "code-server.log"), serverLog.join(""));
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  return report.ok ? 0 : 1;
}

const status = await main().catch((err) => {
  report.error = String(err?.stack ?? err);
  return 1;
});
report.ms = Date.now() - started;
writeFileSync(join(ARTIFACTS, "report.json"), JSON.stringify(report, null, 2));
console.log(`${report.ok ? "passed" : "FAILED"} in ${report.ms} ms; report: ${join(ARTIFACTS, "report.json")}`);
if (report.error) {
  console.error(report.error);
}
process.exit(status);
