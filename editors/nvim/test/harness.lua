-- Shared by the headless Neovim test scripts (e2e.lua, bare.lua): the step log, the hard timeout,
-- waiting with a named step, captured notifications and diagnostics helpers. Loaded with dofile.

local bin = assert(os.getenv("FAILFAST_BIN"), "FAILFAST_BIN not set")
local work = assert(os.getenv("FAILFAST_WORK"), "FAILFAST_WORK not set")
local log_path = assert(os.getenv("FAILFAST_LOG"), "FAILFAST_LOG not set")
local timeout_ms = tonumber(os.getenv("FAILFAST_TIMEOUT_MS") or "90000")
local WAIT = 30000 -- ms for one step

local logf = assert(io.open(log_path, "a"))
local current = "start"
local t0 = vim.loop.hrtime()

local function log(msg)
  logf:write(string.format("%7.2fs %s\n", (vim.loop.hrtime() - t0) / 1e9, msg))
  logf:flush()
end

local function step(name)
  current = name
  log("step: " .. name)
end

local function quit(code)
  logf:close()
  pcall(vim.cmd, "cquit " .. code)
  os.exit(code)
end

local function fail(msg)
  log("FAIL at step '" .. current .. "': " .. msg)
  quit(1)
end

-- The hard timeout: fires inside vim.wait too.
vim.defer_fn(function()
  log(string.format("FAIL: hard timeout (%d ms): step '%s' did not happen", timeout_ms, current))
  quit(2)
end, timeout_ms)

local function wait_for(what, cond, ms)
  step(what)
  if not vim.wait(ms or WAIT, cond, 50) then
    fail("timed out after " .. (ms or WAIT) .. " ms waiting for: " .. what)
  end
end

local function check(cond, msg)
  if not cond then
    fail(msg)
  end
end

local function has(v)
  return vim.fn.has("nvim-" .. v) == 1
end

-- Captured notifications (the plugin must never fail silently).
local notes = {}
vim.notify = function(msg, level)
  table.insert(notes, { msg = tostring(msg), level = level })
  log(string.format("notify[%s]: %s", tostring(level), tostring(msg)))
end
local function notified(level, pattern)
  for _, n in ipairs(notes) do
    if n.level == level and n.msg:find(pattern, 1, true) then
      return true
    end
  end
  return false
end
-- window/showMessage from the server: 0.7 writes errors with nvim_err_writeln, which would not
-- reach vim.notify; log every message the server shows.
local show = vim.lsp.handlers["window/showMessage"]
vim.lsp.handlers["window/showMessage"] = function(err, result, ctx, config)
  log("server showMessage: " .. vim.inspect(result))
  return show(err, result, ctx, config)
end

local function request(client, method, params, bufnr)
  local resp, err
  if has("0.11") then
    resp, err = client:request_sync(method, params, WAIT, bufnr)
  else
    resp, err = client.request_sync(method, params, WAIT, bufnr)
  end
  check(resp ~= nil, method .. " got no answer: " .. tostring(err))
  check(resp.err == nil, method .. " failed: " .. vim.inspect(resp.err))
  return resp.result
end

local function rule_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function failfast_diags(bufnr, rule)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == "failfast" and (rule == nil or rule_of(d) == rule) then
      table.insert(out, d)
    end
  end
  return out
end

local function buf_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
end

local function line_of(bufnr, needle)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if l:find(needle, 1, true) then
      return i - 1
    end
  end
  return nil
end

-- What the server gave, per URI: the last diagnostics (raw LSP diagnostics) pushed with
-- publishDiagnostics or pulled with textDocument/diagnostic (LSP 3.17: Neovim 0.12 pulls when the
-- server offers it), the buffer version they describe and the client. Checks on these see the
-- server's answer for the current text, unlike vim.diagnostic.get, whose extmark-tracked
-- diagnostics vanish when their text is edited (0.10+). delivered counts each way, per URI.
local published = {}
local delivered = { push = {}, pull = {} }

local function record(how, uri, diagnostics, version, client_id)
  local codes = {}
  for _, d in ipairs(diagnostics) do
    table.insert(codes, string.format("%d:%s", d.range.start.line + 1, tostring(d.code)))
  end
  log(
    string.format(
      "%s %s v%s by client %s: %s",
      how,
      vim.fn.fnamemodify(vim.uri_to_fname(uri), ":t"),
      tostring(version),
      tostring(client_id),
      table.concat(codes, " ")
    )
  )
  published[uri] = { diagnostics = diagnostics, version = version, client_id = client_id }
  local kind = how == "publish" and "push" or "pull"
  delivered[kind][uri] = (delivered[kind][uri] or 0) + 1
end

local on_publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  if result and result.uri then
    record("publish", result.uri, result.diagnostics or {}, result.version, ctx.client_id)
  end
  return on_publish(err, result, ctx, config)
end

-- Pulled reports (0.10+ has the handler; it is used only when the server offers pulls). An
-- "unchanged" report keeps the items pulled before, now for the buffer's version at the request.
local on_pull = vim.lsp.handlers["textDocument/diagnostic"]
if on_pull then
  vim.lsp.handlers["textDocument/diagnostic"] = function(err, result, ctx, config)
    local uri = ctx.params and ctx.params.textDocument and ctx.params.textDocument.uri
    if err then
      log(string.format("pull %s failed: %s", tostring(uri), vim.inspect(err)))
    elseif result and uri then
      if result.kind == "full" then
        record("pull", uri, result.items or {}, ctx.version, ctx.client_id)
      elseif published[uri] then
        record("pull (unchanged)", uri, published[uri].diagnostics, ctx.version, ctx.client_id)
      end
    end
    return on_pull(err, result, ctx, config)
  end
end

-- The version Neovim gave the buffer's current text.
local function buf_version(bufnr)
  local v = vim.lsp.util.buf_versions and vim.lsp.util.buf_versions[bufnr]
  return v or vim.api.nvim_buf_get_var(bufnr, "changedtick")
end

-- wait_published waits until the server (client_id, if given) has given diagnostics (pushed or
-- pulled) for the buffer's current version that satisfy pred(list of LSP diagnostics).
local function wait_published(what, bufnr, pred, client_id)
  local uri = vim.uri_from_bufnr(bufnr)
  wait_for(what, function()
    local p = published[uri]
    if not p or (client_id and p.client_id ~= client_id) then
      return false
    end
    if p.version ~= nil and p.version < buf_version(bufnr) then
      return false
    end
    return pred(p.diagnostics)
  end)
end

-- count_code counts the LSP diagnostics with this code, on this 0-based line if given.
local function count_code(diags, code, line)
  local n = 0
  for _, d in ipairs(diags) do
    if d.code == code and (line == nil or d.range.start.line == line) then
      n = n + 1
    end
  end
  return n
end

-- delivered_by returns how many times diagnostics for the buffer were pushed and pulled.
local function delivered_by(bufnr)
  local uri = vim.uri_from_bufnr(bufnr)
  return delivered.push[uri] or 0, delivered.pull[uri] or 0
end

-- check_delivery checks that the buffer's diagnostics came the way $FAILFAST_DIAGNOSTICS
-- ("push" or "pull", set by nvim_test.go from the Neovim version) says, and only that way.
local function check_delivery(bufnr)
  local want = os.getenv("FAILFAST_DIAGNOSTICS")
  local pushed, pulled = delivered_by(bufnr)
  local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":t")
  log(string.format("%s: diagnostics pushed %d times, pulled %d times (want %s)", name, pushed, pulled, tostring(want)))
  if want == "pull" then
    check(pulled > 0 and pushed == 0, string.format("%s: want diagnostics pulled only, got %d pushes and %d pulls", name, pushed, pulled))
  elseif want == "push" then
    check(pushed > 0 and pulled == 0, string.format("%s: want diagnostics pushed only, got %d pushes and %d pulls", name, pushed, pulled))
  else
    fail("FAILFAST_DIAGNOSTICS is " .. tostring(want) .. ", want push or pull")
  end
end

local function clear_notes()
  notes = {}
end

-- run calls fn (with the Lua error's traceback on failure), then logs PASS and exits 0.
local function run(fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    fail("Lua error: " .. tostring(err))
  end
  log("PASS")
  quit(0)
end

return {
  bin = bin,
  work = work,
  WAIT = WAIT,
  log = log,
  step = step,
  fail = fail,
  check = check,
  wait_for = wait_for,
  has = has,
  notified = notified,
  clear_notes = clear_notes,
  notes = function()
    return notes
  end,
  request = request,
  rule_of = rule_of,
  failfast_diags = failfast_diags,
  buf_text = buf_text,
  line_of = line_of,
  wait_published = wait_published,
  check_delivery = check_delivery,
  count_code = count_code,
  run = run,
}
