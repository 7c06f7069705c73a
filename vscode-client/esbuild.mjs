// Bundles the extension into dist/extension.js (one file, `vscode` left external), and with --tests the
// unit tests into out/test/ for `node --test`.
import { build, context } from "esbuild";
import { readdirSync } from "node:fs";

const args = new Set(process.argv.slice(2));
const common = { bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "warning" };

if (args.has("--tests")) {
  const tests = readdirSync("src/test").filter((f) => f.endsWith(".test.ts")).map((f) => `src/test/${f}`);
  await build({ ...common, entryPoints: tests, outdir: "out/test", sourcemap: "inline" });
} else {
  const options = {
    ...common,
    entryPoints: ["src/extension.ts"],
    outfile: "dist/extension.js",
    external: ["vscode"],
    minify: args.has("--production"),
    sourcemap: !args.has("--production"),
  };
  if (args.has("--watch")) {
    await (await context(options)).watch();
  } else {
    await build(options);
  }
}
