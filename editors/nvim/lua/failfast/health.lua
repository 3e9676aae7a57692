-- :checkhealth failfast — is the binary there and working, which Neovim API is used, are the
-- settings valid, is a client running.

local M = {}

-- The reporting functions: vim.health.start/ok/... (0.10+), vim.health.report_* (0.8-0.9) or the
-- health#report_* Vimscript functions (0.7).
local function reporter()
  local h = vim.health
  if h and h.start and h.ok then
    return h
  end
  if h and h.report_start then
    return {
      start = h.report_start,
      ok = h.report_ok,
      warn = h.report_warn,
      error = h.report_error,
      info = h.report_info,
    }
  end
  local function vimfn(name)
    return function(msg, advice)
      if advice ~= nil then
        vim.fn["health#report_" .. name](msg, advice)
      else
        vim.fn["health#report_" .. name](msg)
      end
    end
  end
  return {
    start = vimfn("start"),
    ok = vimfn("ok"),
    warn = vimfn("warn"),
    error = vimfn("error"),
    info = vimfn("info"),
  }
end

local function trim(s)
  return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

function M.check()
  local h = reporter()
  local failfast = require("failfast")

  h.start("failfast: Neovim")
  local vs = failfast.nvim_version()
  if vim.fn.has("nvim-0.7") == 0 then
    h.error("Neovim " .. vs .. " is too old: failfast needs 0.7 or later")
  else
    h.ok(string.format("Neovim %s: starts the server with %s", vs, failfast.api()))
  end

  h.start("failfast: configuration")
  local config = failfast.config
  if not config then
    h.warn('setup() has not been called, so the server is not started', { 'add require("failfast").setup{} to your init.lua' })
  else
    if #failfast.problems == 0 then
      h.ok("options and settings are valid: " .. vim.inspect(config.settings, { newline = " ", indent = "" }))
    else
      for _, p in ipairs(failfast.problems) do
        h.error("bad option: " .. p, { 'fix it in require("failfast").setup{}; the other options apply' })
      end
    end
  end

  h.start("failfast: binary")
  local ok, path = failfast.check_binary(config)
  if not ok then
    h.error("failfast binary not found: " .. path)
    return
  end
  h.ok("found " .. path)
  local out = vim.fn.system({ path, "version" })
  if vim.v.shell_error ~= 0 then
    h.error(string.format("`%s version` failed (exit %d): %s", path, vim.v.shell_error, trim(out)))
    return
  end
  h.ok("`failfast version`: " .. trim(out))

  if config and config.settings.rules then
    local json = vim.fn.system({ path, "rules", "-json" })
    local decoded_ok, rules = pcall(vim.fn.json_decode, json)
    if vim.v.shell_error ~= 0 or not decoded_ok or type(rules) ~= "table" then
      h.warn("could not list the rules with `failfast rules -json`: " .. trim(json))
    else
      local known = {}
      for _, r in ipairs(rules) do
        known[r.id] = true
      end
      local bad = {}
      for id in pairs(config.settings.rules) do
        if not known[id] then
          table.insert(bad, id)
        end
      end
      table.sort(bad)
      if #bad > 0 then
        h.error("settings.rules names unknown rules: " .. table.concat(bad, ", "), { "`failfast rules` lists the rule IDs" })
      else
        h.ok("every rule in settings.rules is known")
      end
    end
  end

  h.start("failfast: language server")
  local clients = failfast.get_clients({ name = "failfast" })
  if #clients == 0 then
    h.info("no failfast client is running (open a Go file)")
  end
  for _, client in ipairs(clients) do
    local n = 0
    for _ in pairs(client.attached_buffers or {}) do
      n = n + 1
    end
    if failfast.is_stopped(client) then
      h.warn(string.format("client %d (root %s) has stopped", client.id, tostring(client.config.root_dir)), { ":FailfastRestart" })
    else
      h.ok(
        string.format(
          "client %d: root %s, %d buffer(s), position encoding %s",
          client.id,
          tostring(client.config.root_dir),
          n,
          tostring(client.offset_encoding)
        )
      )
    end
  end
end

return M
