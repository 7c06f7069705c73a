-- Neovim as an independent LSP client of the buildwise server (shared/recipes/neovim-client.md).
-- Run headless on one file: nvim --headless --clean -n -i NONE -c "luafile nvim_client.lua" FILE
-- Environment: BUILDWISE_SERVER_CMD (JSON list: the server command; unset: a client configured in the
-- init file, e.g. the README's vim.lsp.config, is already attached), BUILDWISE_TIMEOUT_MS.
-- Prints one line per fact, for the pytest test to assert on:
--   DIAG <lnum> <col> <code> <source> <message>   (0-based positions)
--   ACTION <code> <title>                          (code actions offered for that diagnostic)
--   HOVER <first line of the hover on the first diagnostic's line>
--   PUBLISHED <n>                                  (diagnostics in the server's first publish)
-- Exits 0, or 2 when the server publishes nothing in time.
local timeout = tonumber(os.getenv("BUILDWISE_TIMEOUT_MS") or "15000")
local cmd_json = os.getenv("BUILDWISE_SERVER_CMD")
local buf = vim.api.nvim_get_current_buf()
local root = vim.fn.getcwd()
local out = {}
local function say(line) table.insert(out, line) end

-- Wait for the server's publish, not for a non-empty list: a clean file is published empty.
local published
local default_handler = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, cfg)
  default_handler(err, result, ctx, cfg)
  if result and published == nil and vim.uri_to_bufnr(result.uri) == buf then
    published = #result.diagnostics
  end
end

local config = { name = "buildwise", root_dir = root,
                 workspace_folders = { { uri = vim.uri_from_fname(root), name = "project" } } }
local client_id
if cmd_json == nil or cmd_json == "" then
  -- Configured by the init file: it attached while the buffer loaded, maybe before the hook above,
  -- so count what is already there as published.
  vim.wait(timeout, function() return #vim.lsp.get_clients({ bufnr = buf }) > 0 end, 50)
  local clients = vim.lsp.get_clients({ bufnr = buf })
  client_id = clients[1] and clients[1].id
  if published == nil and #vim.diagnostic.get(buf) > 0 then published = #vim.diagnostic.get(buf) end
elseif vim.lsp.start then  -- Neovim >= 0.8
  config.cmd = vim.json.decode(cmd_json)
  client_id = vim.lsp.start(config, { bufnr = buf })
else                       -- Neovim 0.7 (Debian's)
  config.cmd = vim.json.decode(cmd_json)
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, client_id)
end
if client_id == nil then
  io.stdout:write("NOCLIENT no LSP client attached\n")
  vim.cmd("cquit 3")
end

local function lsp_code(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local ok = vim.wait(timeout, function() return published ~= nil and #vim.diagnostic.get(buf) == published end, 50)
if not ok then
  io.stdout:write("TIMEOUT no diagnostics published\n")
  vim.cmd("cquit 2")
end
say("PUBLISHED " .. published)
local diagnostics = vim.diagnostic.get(buf)
table.sort(diagnostics, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
for _, d in ipairs(diagnostics) do
  say(string.format("DIAG %d %d %s %s %s", d.lnum, d.col, tostring(lsp_code(d)), tostring(d.source),
                    (d.message:gsub("\n", " "))))
end

local uri = vim.uri_from_bufnr(buf)
for _, d in ipairs(diagnostics) do
  local lsp = (d.user_data and d.user_data.lsp) or {}
  local range = { start = { line = d.lnum, character = d.col },
                  ["end"] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col } }
  local diagnostic = { range = range, message = d.message, severity = d.severity, source = d.source,
                       code = lsp_code(d), data = lsp.data }
  local params = { textDocument = { uri = uri }, range = range, context = { diagnostics = { diagnostic } } }
  local results = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, timeout) or {}
  for _, res in pairs(results) do
    for _, action in ipairs(res.result or {}) do
      say(string.format("ACTION %s %s", tostring(lsp_code(d)), action.title))
    end
  end
end

local first = diagnostics[1] or { lnum = 0, col = 0 }
local hover = vim.lsp.buf_request_sync(buf, "textDocument/hover", {
  textDocument = { uri = uri }, position = { line = first.lnum, character = first.col + 1 },
}, timeout) or {}
for _, res in pairs(hover) do
  local contents = res.result and res.result.contents
  local value = type(contents) == "table" and (contents.value or contents[1]) or contents
  if type(value) == "string" then
    say("HOVER " .. (value:gsub("\n.*", "")))
  end
end

io.stdout:write(table.concat(out, "\n") .. "\n")
vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
vim.cmd("qall!")
