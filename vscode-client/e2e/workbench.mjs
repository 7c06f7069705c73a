// What a person does in the VS Code workbench (code-server), as playwright-core steps. Selectors and
// key strokes follow shared/recipes/vscode-e2e.md; every wait is bounded by TIMEOUT.
export const TIMEOUT = Number(process.env.BUILDWISE_E2E_TIMEOUT_MS ?? 30_000);

export const text = (s) => s.replace(/\u00a0/g, " ");

export async function openFile(page, name) {
  await page.keyboard.press("Control+P");
  await page.keyboard.type(name);
  const row = page.locator(".quick-input-list .monaco-list-row", { hasText: name }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.click();
  await page.locator(`.tab.active:has-text("${name}")`).waitFor({ timeout: TIMEOUT });
  await page.locator(".monaco-editor .view-lines").first().waitFor({ timeout: TIMEOUT });
}

export async function problemRows(page) {
  const rows = await page.locator(".markers-panel .monaco-list-row").allInnerTexts();
  return rows.map((r) => text(r).replace(/\s+/g, " ").trim());
}

export async function waitForProblems(page, predicate, what) {
  const deadline = Date.now() + TIMEOUT;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await problemRows(page);
    if (predicate(rows)) {
      return rows;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`Problems never showed ${what}; rows: ${JSON.stringify(rows)}`);
}

export async function editorText(page) {
  return text(await page.locator(".editor-group-container.active .monaco-editor .view-lines").first().innerText());
}

export async function runCommand(page, title) {
  await page.keyboard.press("F1");
  await page.keyboard.type(title);
  const row = page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await page.keyboard.press("Enter");
}

/** Open the user Settings editor on `key`; returns the setting's first input. */
export async function openSetting(page, key, description) {
  await runCommand(page, "Preferences: Open User Settings");
  await page.locator(".settings-editor").waitFor({ timeout: TIMEOUT });
  await page.keyboard.press("Control+A");
  await page.keyboard.type(key);
  const item = page.locator(".settings-editor .setting-item-contents", { hasText: description });
  await item.first().waitFor({ timeout: TIMEOUT });
  return item.locator("input").first();
}

/** Hover `token` in `file`; the hover's text, which must contain each of `expect`. */
export async function hoverText(page, { file, token, expect }) {
  await openFile(page, file);
  const line = page.locator(".editor-group-container.active .view-line", { hasText: token }).first();
  const box = await line.boundingBox();
  const hover = page.locator(".monaco-hover:visible", { hasText: token });
  for (let attempt = 0; attempt < 3 && !(await hover.count()); attempt++) {
    await page.mouse.move(box.x + 4, box.y + box.height / 2);
    await page.mouse.move(box.x + 18, box.y + box.height / 2, { steps: 4 });
    await hover.first().waitFor({ timeout: TIMEOUT / 3 }).catch(() => undefined);
  }
  const shown = text(await hover.first().innerText());
  for (const expected of expect) {
    if (!shown.includes(expected)) {
      throw new Error(`hover lacks "${expected}": ${shown}`);
    }
  }
  return shown;
}

export async function goToLine(page, line) {
  await page.keyboard.press("Control+G");
  await page.keyboard.type(String(line));
  await page.keyboard.press("Enter");
}

/** Wait until some frame (a Markdown preview renders in nested webview iframes) shows `needle`. */
export async function frameText(page, needle) {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        const body = text(await frame.locator("body").innerText({ timeout: 500 }));
        if (body.includes(needle)) {
          return body;
        }
      } catch {
        // detached or not yet loaded: try the next one
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no frame showed ${JSON.stringify(needle)}`);
}
