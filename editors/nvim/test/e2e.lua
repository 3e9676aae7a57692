-- End-to-end test of the failfast Neovim plugin against the real failfast binary, run by
-- nvim_test.go as:
--
--   nvim --headless -u NONE -i NONE -n --cmd "set rtp^=<editors/nvim>" -c "luafile test/e2e.lua"
--
-- with FAILFAST_BIN (the binary), FAILFAST_WORK (a copy of testdata/demo), FAILFAST_LOG (the step
-- log, printed by the Go test on failure) and FAILFAST_TIMEOUT_MS set. Every step is logged
-- before it is waited for, so the log's last "step:" line names the step that did not happen.
-- The last line is "PASS" when everything happened; nvim exits 0 then, 1 on a failed check and
-- 2 on the hard timeout.

local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/harness.lua")
local bin, work = H.bin, H.work
local log, step, fail, check, wait_for, has = H.log, H.step, H.fail, H.check, H.wait_for, H.has
local notified, request, rule_of, failfast_diags = H.notified, H.request, H.rule_of, H.failfast_diags
local buf_text, line_of = H.buf_text, H.line_of


H.run(function()
  local v = vim.version()
  local failfast = require("failfast")
  step(string.format("nvim %d.%d.%d, API %s", v.major, v.minor, v.patch, failfast.api()))
  vim.o.hidden = true -- keep buffers loaded when switching (the default from 0.10 on)

  step("open handlers.go before setup (as when a plugin manager loads the plugin on FileType)")
  vim.cmd("edit! " .. vim.fn.fnameescape(work .. "/handlers.go"))
  local hbuf = vim.api.nvim_get_current_buf()
  vim.bo[hbuf].filetype = "go" -- -u NONE: no filetype detection

  step("setup with a missing binary reports an error")
  failfast.setup({ path = work .. "/no-such-failfast" })
  check(
    notified(vim.log.levels.ERROR, "not an executable file"),
    "setup{path = missing} did not vim.notify an ERROR naming the binary"
  )

  step("setup with bad settings reports each by name")
  H.clear_notes()
  failfast.setup({ path = bin, settings = { run = "sometimes", colour = "red", rules = { ["unchecked-index"] = "loud" } } })
  for _, key in ipairs({ "settings.run", "settings.colour", 'settings.rules["unchecked-index"]' }) do
    check(notified(vim.log.levels.ERROR, key), "bad setting " .. key .. " was not reported with vim.notify ERROR")
  end
  wait_for("a client for handlers.go, started by setup with the other settings", function()
    return #failfast.get_clients({ name = "failfast" }) == 1
  end)
  local first = failfast.get_clients({ name = "failfast" })[1]

  step("setup with good settings")
  H.clear_notes()
  local attached = {}
  failfast.setup({
    path = bin,
    settings = { run = "onType", debounceMs = 50, rules = { ["nil-nil-return"] = "off" }, logger = "slog" },
    on_attach = function(client, bufnr)
      attached[bufnr] = client
    end,
  })
  check(#failfast.problems == 0, "good settings reported as bad: " .. vim.inspect(failfast.problems))
  wait_for("setup again restarts the client of handlers.go with the new settings", function()
    return attached[hbuf] ~= nil
  end)
  check(attached[hbuf].id ~= first.id and failfast.is_stopped(first), "setup did not replace the client started by the earlier setup")

  step("open store.go")
  vim.cmd("edit! " .. vim.fn.fnameescape(work .. "/store.go"))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = "go" -- -u NONE: no filetype detection
  wait_for("on_attach for store.go", function()
    return attached[bufnr] ~= nil
  end)
  local client = attached[bufnr]
  check(client.id == attached[hbuf].id, "store.go got another client than handlers.go, in the same module")
  log("client " .. client.id .. " root " .. tostring(client.config.root_dir) .. " encoding " .. tostring(client.offset_encoding))

  wait_for("failfast diagnostics for store.go (unwrapped-error)", function()
    return #failfast_diags(bufnr, "unwrapped-error") > 0
  end)
  for _, d in ipairs(failfast_diags(bufnr)) do
    log(string.format("diagnostic %d:%d %s: %s", d.lnum + 1, d.col + 1, tostring(rule_of(d)), d.message))
  end
  check(#failfast_diags(bufnr, "use-before-check") > 0, "no use-before-check diagnostic in store.go")
  check(
    #failfast_diags(bufnr, "nil-nil-return") == 0,
    "nil-nil-return is reported although settings.rules turned it off: the settings did not reach the server"
  )
  step("store.go's diagnostics came by " .. tostring(os.getenv("FAILFAST_DIAGNOSTICS")))
  H.check_delivery(bufnr)

  step("code actions for the unwrapped-error diagnostic")
  local d = failfast_diags(bufnr, "unwrapped-error")[1]
  -- 0.8+ keep the server's diagnostic in user_data.lsp; 0.7 keeps only some fields there.
  local lsp_diag = (d.user_data and d.user_data.lsp and d.user_data.lsp.range and d.user_data.lsp)
    or {
      range = {
        start = { line = d.lnum, character = d.col },
        ["end"] = { line = d.end_lnum, character = d.end_col },
      },
      message = d.message,
      code = rule_of(d),
      source = d.source,
      severity = d.severity,
    }
  local actions = request(client, "textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag } },
  }, bufnr)
  local fix
  for _, a in ipairs(actions or {}) do
    log(string.format("action: [%s] %s", tostring(a.kind), a.title))
    if a.kind == "quickfix" and not a.title:find("^Ignore") and fix == nil then
      fix = a
    end
  end
  check(fix ~= nil, "no quick fix among the code actions for unwrapped-error")

  step("apply the quick fix '" .. fix.title .. "'")
  local edit = fix.edit
  if not edit then
    local resolved = request(client, "codeAction/resolve", fix, bufnr)
    edit = resolved and resolved.edit
  end
  check(edit ~= nil, "the quick fix has no edit, even after codeAction/resolve")
  vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
  check(buf_text(bufnr):find('fmt.Errorf("find %s: %w", sku, err)', 1, true), "the quick fix did not turn %v into %w")

  step("write store.go")
  vim.cmd("silent write")
  check(not vim.bo[bufnr].modified, "store.go still modified after :write")

  H.wait_published("the server's diagnostics for the fixed text, without unwrapped-error", bufnr, function(ds)
    return H.count_code(ds, "unwrapped-error") == 0 and H.count_code(ds, "use-before-check") == 1
  end)

  step("edit: add a function that drops an error")
  local last = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, last, last, false, {
    "",
    "// Purge deletes every item.",
    "func (s *Store) Purge(ctx context.Context) {",
    '\ts.db.ExecContext(ctx, "DELETE FROM items")',
    "}",
  })
  local purge_line = line_of(bufnr, "DELETE FROM items")
  wait_for("a discarded-error diagnostic on the new line " .. (purge_line + 1), function()
    for _, dd in ipairs(failfast_diags(bufnr, "discarded-error")) do
      if dd.lnum == purge_line then
        return true
      end
    end
    return false
  end)

  step(":FailfastFixAll")
  check(line_of(bufnr, "\ttx.Commit()") ~= nil, "store.go has no bare tx.Commit() before fix-all")
  vim.cmd("FailfastFixAll")
  check(line_of(bufnr, "\ttx.Commit()") == nil, ":FailfastFixAll did not fix the dropped tx.Commit() error")
  local text = buf_text(bufnr)
  check(not text:find("tx, err := s.db.BeginTx(ctx, nil)\n\tdefer tx.Rollback()", 1, true), ":FailfastFixAll did not move defer tx.Rollback() after the error check")
  vim.cmd("silent write")
  H.wait_published("the server's diagnostics after fix-all, without use-before-check", bufnr, function(ds)
    return H.count_code(ds, "use-before-check") == 0 and H.count_code(ds, "unwrapped-error") == 0
  end)

  step("switch to handlers.go: the same client serves both")
  vim.cmd("buffer " .. hbuf)
  check(attached[hbuf].id == client.id, "handlers.go has a second client for the same root")
  wait_for("unchecked-type-assertion diagnostics for handlers.go", function()
    return #failfast_diags(hbuf, "unchecked-type-assertion") > 0
  end)
  check(#failfast.get_clients({ name = "failfast" }) == 1, "want exactly one failfast client")
  -- The whole-package pass, a moment after the first result, adds the place in store.go where
  -- Find returns nil; a pulling Neovim sees it only if the server's refresh made it pull again.
  H.wait_published("the whole-package pass's related place (store.go) in handlers.go's unchecked-nil-result", hbuf, function(ds)
    for _, dd in ipairs(ds) do
      if dd.code == "unchecked-nil-result" and dd.relatedInformation and #dd.relatedInformation > 0 then
        return dd.relatedInformation[1].location.uri:find("store.go", 1, true) ~= nil
      end
    end
    return false
  end)
  step("every diagnostic came by " .. tostring(os.getenv("FAILFAST_DIAGNOSTICS")))
  H.check_delivery(bufnr)
  H.check_delivery(hbuf)

  step(":FailfastRestart")
  attached = {}
  vim.cmd("FailfastRestart")
  wait_for("a new client attached to both buffers after :FailfastRestart", function()
    return attached[bufnr] ~= nil and attached[hbuf] ~= nil
  end)
  check(attached[bufnr].id ~= client.id, ":FailfastRestart kept the old client")
  check(failfast.is_stopped(client), ":FailfastRestart did not stop the old client")
  client = attached[bufnr]
  check(attached[hbuf].id == client.id, "after :FailfastRestart the two buffers have different clients")
  H.wait_published("the new client's diagnostics for store.go, with discarded-error in Purge", bufnr, function(ds)
    return H.count_code(ds, "discarded-error", line_of(bufnr, "DELETE FROM items")) == 1
  end, client.id)

  step(":FailfastInfo")
  vim.cmd("FailfastInfo")
  check(#failfast.get_clients({ name = "failfast" }) == 1, "want exactly one failfast client running")

  step(":checkhealth failfast")
  vim.cmd("checkhealth failfast")
  local health = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  for _, l in ipairs(health) do
    log("health: " .. l)
  end
  local htext = table.concat(health, "\n")
  check(htext:find("`failfast version`: failfast", 1, true), "the health check does not show `failfast version`")
  check(htext:find(failfast.api(), 1, true), "the health check does not name the API in use")
  check(not htext:find("ERROR"), "the health check reports an ERROR")

  step("no deprecation warnings")
  for _, n in ipairs(H.notes()) do
    check(not n.msg:lower():find("deprecat"), "a deprecation warning was shown: " .. n.msg)
  end

  step("setup again with a rule the server does not know, then :FailfastRestart")
  H.clear_notes()
  failfast.setup({ path = bin, settings = { rules = { ["no-such-rule"] = "off" } } })
  vim.cmd("FailfastRestart")
  wait_for("the server's warning about no-such-rule through vim.notify", function()
    return notified(vim.log.levels.WARN, "failfast.rules.no-such-rule: unknown rule")
  end)
  -- The warning comes while the server initializes; 0.12 lists a client only once it has.
  wait_for("an initialized failfast client after the second :FailfastRestart", function()
    return #failfast.get_clients({ name = "failfast" }) == 1
  end)
  client = failfast.get_clients({ name = "failfast" })[1]

  step("stop the client")
  if has("0.11") then
    client:stop()
  else
    client.stop()
  end
  wait_for("the client stopped", function()
    return failfast.is_stopped(client)
  end, 10000)
end)
