-- failfast for Neovim: starts `failfast serve` (the failfast language server) for Go buffers.
--
--   require("failfast").setup({
--     path = "failfast",                       -- the binary (or cmd = { "failfast", "serve" })
--     settings = { run = "onType", debounceMs = 150, rules = { ["unchecked-index"] = "off" }, logger = "slog" },
--     on_attach = function(client, bufnr) end,
--     root_markers = { "go.work", "go.mod", ".git" },
--     filetypes = { "go" },
--   })
--
-- Neovim 0.11+ uses vim.lsp.config/vim.lsp.enable, 0.8-0.10 vim.lsp.start on FileType, and 0.7
-- vim.lsp.start_client + vim.lsp.buf_attach_client with one client per root. Commands:
-- :FailfastFixAll, :FailfastRestart, :FailfastInfo. Health: :checkhealth failfast.

local M = {}

local NAME = "failfast"
local FIX_ALL_KIND = "source.fixAll.failfast"

-- The setting keys the server accepts and what each takes.
local RUN_VALUES = { onType = true, onSave = true }
local SCOPE_VALUES = { workspace = true, openFiles = true }
local RULE_VALUES = { off = true, on = true, error = true, warning = true, info = true, hint = true }

local defaults = {
  path = "failfast",
  cmd = nil,
  settings = {},
  on_attach = nil,
  capabilities = nil,
  root_markers = { "go.work", "go.mod", ".git" },
  filetypes = { "go" },
}

-- M.config is the resolved configuration after setup(); M.problems what was wrong with it.
M.config = nil
M.problems = {}

local function has(version)
  return vim.fn.has("nvim-" .. version) == 1
end

--- Which API generation this Neovim uses: "vim.lsp.config" (0.11+), "vim.lsp.start" (0.8-0.10)
--- or "vim.lsp.start_client" (0.7).
function M.api()
  if has("0.11") and vim.lsp.config and vim.lsp.enable then
    return "vim.lsp.config"
  elseif vim.lsp.start then
    return "vim.lsp.start"
  end
  return "vim.lsp.start_client"
end

local function notify(msg, level)
  vim.notify("failfast: " .. msg, level or vim.log.levels.ERROR)
end

local function is_list(t)
  if type(t) ~= "table" then
    return false
  end
  if vim.islist then
    return vim.islist(t)
  end
  return vim.tbl_islist(t)
end

--- Checks the user's settings table. Returns the settings to send (bad keys dropped) and a list
--- of problems, each naming the key.
function M.validate_settings(settings)
  local problems = {}
  local out = {}
  if settings == nil then
    return out, problems
  end
  if type(settings) ~= "table" then
    return out, { string.format("settings: want a table, got %s", type(settings)) }
  end
  for key, value in pairs(settings) do
    if key == "run" then
      if type(value) == "string" and RUN_VALUES[value] then
        out.run = value
      else
        table.insert(problems, string.format('settings.run: want "onType" or "onSave", got %s', vim.inspect(value)))
      end
    elseif key == "debounceMs" then
      if type(value) == "number" and value >= 0 and value <= 60000 and math.floor(value) == value then
        out.debounceMs = value
      else
        table.insert(
          problems,
          string.format("settings.debounceMs: want a whole number of milliseconds from 0 to 60000, got %s", vim.inspect(value))
        )
      end
    elseif key == "rules" then
      if type(value) ~= "table" or (next(value) ~= nil and is_list(value)) then
        table.insert(problems, string.format("settings.rules: want a table of rule ID = severity, got %s", vim.inspect(value)))
      else
        local rules = {}
        for id, sev in pairs(value) do
          if type(id) ~= "string" then
            table.insert(problems, string.format("settings.rules: rule IDs are strings, got %s", vim.inspect(id)))
          elseif type(sev) ~= "string" or not RULE_VALUES[sev] then
            table.insert(
              problems,
              string.format(
                "settings.rules[%q]: want off, on, error, warning, info or hint, got %s",
                id,
                vim.inspect(sev)
              )
            )
          else
            rules[id] = sev
          end
        end
        if next(rules) ~= nil then
          out.rules = rules
        end
      end
    elseif key == "scope" then
      if type(value) == "string" and SCOPE_VALUES[value] then
        out.scope = value
      else
        table.insert(problems, string.format('settings.scope: want "workspace" or "openFiles", got %s', vim.inspect(value)))
      end
    elseif key == "logger" then
      if type(value) == "string" then
        out.logger = value
      else
        table.insert(
          problems,
          string.format('settings.logger: want "slog", "log", "" or a logger expression such as "s.log", got %s', vim.inspect(value))
        )
      end
    else
      table.insert(
        problems,
        string.format(
          "settings.%s: unknown setting (known: run, debounceMs, rules, logger, scope%s)",
          tostring(key),
          (key == "path" or key == "cmd") and "; the binary is setup{path = ...}, not a setting" or ""
        )
      )
    end
  end
  table.sort(problems)
  return out, problems
end

-- The settings as sent: an empty table must be a JSON object, not an array.
local function wire_settings(settings)
  if next(settings) == nil then
    return vim.empty_dict()
  end
  return settings
end

local function validate_opts(opts)
  local problems = {}
  local function check(name, value, want, optional)
    if value == nil then
      if not optional then
        table.insert(problems, string.format("%s is required", name))
      end
      return
    end
    if type(value) ~= want then
      table.insert(problems, string.format("%s: want a %s, got %s", name, want, type(value)))
    end
  end
  check("path", opts.path, "string", true)
  check("cmd", opts.cmd, "table", true)
  check("settings", opts.settings, "table", true)
  check("on_attach", opts.on_attach, "function", true)
  check("capabilities", opts.capabilities, "table", true)
  check("root_markers", opts.root_markers, "table", false)
  check("filetypes", opts.filetypes, "table", false)
  if type(opts.cmd) == "table" and (#opts.cmd == 0 or type(opts.cmd[1]) ~= "string") then
    table.insert(problems, 'cmd: want a list such as { "failfast", "serve" }')
  end
  return problems
end

--- The command that starts the server.
function M.cmd(config)
  config = config or M.config or defaults
  if config.cmd then
    return config.cmd
  end
  return { config.path or "failfast", "serve" }
end

--- Whether the binary can be run; returns ok and, if not, why.
function M.check_binary(config)
  local cmd = M.cmd(config)
  if vim.fn.executable(cmd[1]) == 1 then
    return true, vim.fn.exepath(cmd[1])
  end
  local why
  if cmd[1]:find("/", 1, true) then
    why = string.format("%s is not an executable file", cmd[1])
  else
    why = string.format("%q is not on PATH", cmd[1])
  end
  return false,
    why
      .. ' (build it in a clone of failfast with `go build -o bin/failfast ./cmd/failfast` and put it on PATH, or set path = "/path/to/failfast" in require("failfast").setup{})'
end

-- Clients, whatever the Neovim.
local function get_clients(filter)
  filter = filter or {}
  if vim.lsp.get_clients then
    return vim.lsp.get_clients(filter)
  end
  local out = {}
  for _, client in pairs(vim.lsp.get_active_clients()) do
    if
      (filter.name == nil or client.name == filter.name)
      and (filter.bufnr == nil or vim.lsp.buf_is_attached(filter.bufnr, client.id))
    then
      table.insert(out, client)
    end
  end
  return out
end
M.get_clients = get_clients

-- The ids of the clients this plugin started: get_clients() leaves out clients still
-- initializing (0.7 and 0.12 do), and a restart must stop those too.
local started = {}

local function track(id)
  if id then
    started[id] = true
  end
  return id
end

-- Every failfast client, initialized or not.
local function all_clients()
  local out, seen = {}, {}
  for _, client in ipairs(get_clients({ name = NAME, _uninitialized = true })) do
    seen[client.id] = true
    table.insert(out, client)
  end
  for id in pairs(started) do
    local client = vim.lsp.get_client_by_id(id)
    if client == nil then
      started[id] = nil
    elseif not seen[id] then
      seen[id] = true
      table.insert(out, client)
    end
  end
  return out
end

-- client:request_sync on 0.11+ (a method), client.request_sync before.
local function request_sync(client, method, params, timeout_ms, bufnr)
  if has("0.11") then
    return client:request_sync(method, params, timeout_ms, bufnr)
  end
  return client.request_sync(method, params, timeout_ms, bufnr)
end

-- client:stop()/client:is_stopped() on 0.11+, client.stop()/client.is_stopped() before.
local function stop(client)
  if has("0.11") then
    return client:stop()
  end
  return client.stop()
end

local function is_stopped(client)
  if has("0.11") then
    return client:is_stopped()
  end
  return client.is_stopped()
end
M.is_stopped = is_stopped

local function supports_method(client, method, bufnr)
  if has("0.11") then
    return client:supports_method(method, bufnr)
  end
  if client.supports_method then
    return client.supports_method(method)
  end
  return true
end

local uv = vim.uv or vim.loop

--- The root of the workspace for a file: the nearest directory upwards holding one of the root
--- markers, else the file's directory.
function M.find_root(fname, markers)
  markers = markers or (M.config or defaults).root_markers
  local dir = vim.fn.fnamemodify(fname, ":p:h")
  local cur = dir
  while cur and cur ~= "" do
    for _, m in ipairs(markers) do
      if uv.fs_stat(cur .. "/" .. m) then
        return cur
      end
    end
    local parent = vim.fn.fnamemodify(cur, ":h")
    if parent == cur then
      break
    end
    cur = parent
  end
  return dir
end

local function on_exit_notify(code, signal)
  if code ~= 0 and code ~= nil then
    notify(
      string.format(
        "the language server exited with code %d%s; see :FailfastInfo and `:lua vim.cmd.edit(vim.lsp.get_log_path())`",
        code,
        (signal and signal ~= 0) and (" (signal " .. signal .. ")") or ""
      )
    )
  end
end

-- The server's window/showMessage (bad settings, a module that does not load) through vim.notify,
-- the same on every Neovim (0.7 writes all but errors to the message area only).
local MESSAGE_LEVELS = { vim.log.levels.ERROR, vim.log.levels.WARN, vim.log.levels.INFO, vim.log.levels.INFO }

local function show_message(_, result)
  if type(result) == "table" and type(result.message) == "string" then
    local msg = result.message
    if msg:sub(1, #"failfast: ") ~= "failfast: " then
      msg = "failfast: " .. msg
    end
    vim.notify(msg, MESSAGE_LEVELS[result.type] or vim.log.levels.INFO)
  end
  return vim.NIL
end

-- The client configuration shared by every API generation (root_dir set per buffer).
local function client_config(config)
  local cfg = {
    name = NAME,
    cmd = M.cmd(config),
    filetypes = config.filetypes,
    root_markers = config.root_markers,
    init_options = { failfast = wire_settings(config.settings) },
    settings = { failfast = wire_settings(config.settings) },
    on_attach = config.on_attach,
    on_exit = on_exit_notify,
    handlers = { ["window/showMessage"] = show_message },
  }
  if config.capabilities then
    cfg.capabilities = config.capabilities
  end
  return cfg
end

-- One client per root on 0.7 (start_client does not reuse clients by itself).
local clients_by_root = {}

local function start_07(bufnr, config)
  local fname = vim.api.nvim_buf_get_name(bufnr)
  if fname == "" then
    return
  end
  local root = M.find_root(fname, config.root_markers)
  local id = clients_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or is_stopped(client) then
    local cfg = client_config(config)
    cfg.root_dir = root
    cfg.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
    cfg.filetypes = nil
    cfg.root_markers = nil
    id = track(vim.lsp.start_client(cfg))
    if not id then
      notify("could not start " .. table.concat(cfg.cmd, " "))
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

-- The default reuse test of vim.lsp.start (same name and root) also picks a client that is
-- shutting down but not yet gone; attaching a buffer to it would leave the buffer without a server.
local function reuse_client(client, cfg)
  return client.name == cfg.name and client.config.root_dir == cfg.root_dir and not is_stopped(client)
end

local function start_08(bufnr, config)
  local fname = vim.api.nvim_buf_get_name(bufnr)
  if fname == "" then
    return
  end
  local cfg = client_config(config)
  cfg.root_dir = M.find_root(fname, config.root_markers)
  cfg.filetypes = nil
  cfg.root_markers = nil
  return track(vim.lsp.start(cfg, { bufnr = bufnr, reuse_client = reuse_client }))
end

--- Starts (or reuses) the server for bufnr, whatever the Neovim.
function M.start(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local config = M.config
  if not config then
    notify('call require("failfast").setup{} first')
    return
  end
  local ok, why = M.check_binary(config)
  if not ok then
    notify(why)
    return
  end
  if M.api() == "vim.lsp.config" then
    local fname = vim.api.nvim_buf_get_name(bufnr)
    if fname == "" then
      return
    end
    local cfg = vim.deepcopy(vim.lsp.config[NAME])
    cfg.root_dir = M.find_root(fname, config.root_markers)
    return track(vim.lsp.start(cfg, { bufnr = bufnr, reuse_client = reuse_client }))
  elseif vim.lsp.start then
    return start_08(bufnr, config)
  end
  return start_07(bufnr, config)
end

local function matches_filetype(bufnr, config)
  local ft = vim.bo[bufnr].filetype
  return vim.tbl_contains(config.filetypes, ft)
end

local AUGROUP = "failfast"

local function create_commands()
  vim.api.nvim_create_user_command("FailfastFixAll", function()
    M.fix_all(0)
  end, { desc = "failfast: apply the safe fixes (source.fixAll.failfast) to the current buffer" })
  vim.api.nvim_create_user_command("FailfastRestart", function()
    M.restart()
  end, { desc = "failfast: restart the language server" })
  vim.api.nvim_create_user_command("FailfastInfo", function()
    M.info()
  end, { desc = "failfast: show the language server's clients and settings" })
end

--- Configures failfast and starts it for Go buffers (those open now and those opened later).
function M.setup(opts)
  opts = opts or {}
  if type(opts) ~= "table" then
    notify("setup: want a table of options, got " .. type(opts))
    return
  end
  local config = vim.tbl_extend("force", vim.deepcopy(defaults), opts)
  local problems = validate_opts(config)
  local settings, setting_problems = M.validate_settings(config.settings)
  config.settings = settings
  vim.list_extend(problems, setting_problems)
  M.problems = problems
  if #problems > 0 then
    notify("bad options in setup (the others apply):\n  " .. table.concat(problems, "\n  "))
    for _, key in ipairs({ "path", "cmd", "on_attach", "capabilities", "root_markers", "filetypes" }) do
      if config[key] ~= nil and type(config[key]) ~= type(defaults[key] or config[key]) then
        config[key] = defaults[key]
      end
    end
    if type(config.cmd) == "table" and type(config.cmd[1]) ~= "string" then
      config.cmd = nil
    end
    if type(config.on_attach) ~= "function" then
      config.on_attach = nil
    end
  end
  M.config = config
  create_commands()

  local group = vim.api.nvim_create_augroup(AUGROUP, { clear = true })
  local ok, why = M.check_binary(config)
  if not ok then
    notify(why .. "; the server is not started")
    if M.api() == "vim.lsp.config" then
      pcall(vim.lsp.enable, NAME, false)
    end
    return
  end

  -- Clients started by an earlier setup() run with its settings: restart them with these.
  local running = #all_clients() > 0

  if M.api() == "vim.lsp.config" then
    -- Assigning replaces the whole configuration (calling vim.lsp.config would merge it with the
    -- one from an earlier setup()).
    vim.lsp.config[NAME] = client_config(config)
    vim.lsp.enable(NAME)
  else
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = config.filetypes,
      callback = function(args)
        M.start(args.buf)
      end,
      desc = "failfast: start the language server",
    })
  end
  if running then
    M.restart()
    return
  end
  -- The Go buffers open now (vim.lsp.enable attaches them only after startup; a plugin manager
  -- may call setup() from a FileType event).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and matches_filetype(bufnr, config) then
      M.start(bufnr)
    end
  end
end

--- Applies the code action of kind source.fixAll.failfast to bufnr (works on 0.7, which has no
--- vim.lsp.buf.code_action{apply=true}). Returns the number of edits applied, or nil and an error.
function M.fix_all(bufnr, timeout_ms)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  timeout_ms = timeout_ms or 10000
  local clients = get_clients({ bufnr = bufnr, name = NAME })
  if #clients == 0 then
    local err = "no failfast language server is attached to this buffer (see :FailfastInfo, :checkhealth failfast)"
    notify(err)
    return nil, err
  end
  local applied = 0
  for _, client in ipairs(clients) do
    local last = vim.api.nvim_buf_line_count(bufnr)
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = { start = { line = 0, character = 0 }, ["end"] = { line = last, character = 0 } },
      context = { diagnostics = {}, only = { FIX_ALL_KIND }, triggerKind = 1 },
    }
    local resp, err = request_sync(client, "textDocument/codeAction", params, timeout_ms, bufnr)
    if not resp or resp.err then
      local msg = "textDocument/codeAction failed: " .. tostring(err or (resp and resp.err and resp.err.message))
      notify(msg)
      return nil, msg
    end
    for _, action in ipairs(resp.result or {}) do
      if action.kind == FIX_ALL_KIND then
        local edit = action.edit
        if not edit and supports_method(client, "codeAction/resolve", bufnr) then
          local r, rerr = request_sync(client, "codeAction/resolve", action, timeout_ms, bufnr)
          if not r or r.err then
            local msg = "codeAction/resolve failed: " .. tostring(rerr or (r and r.err and r.err.message))
            notify(msg)
            return nil, msg
          end
          edit = r.result and r.result.edit
        end
        if edit then
          vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding or "utf-16")
          applied = applied + 1
        end
        if action.command then
          local cmd = type(action.command) == "table" and action.command or action
          request_sync(client, "workspace/executeCommand", { command = cmd.command, arguments = cmd.arguments }, timeout_ms, bufnr)
        end
      end
    end
  end
  if applied == 0 then
    notify("no safe fixes to apply in this buffer", vim.log.levels.INFO)
  end
  return applied
end

--- Stops the failfast clients and starts them again for the open buffers.
function M.restart()
  local clients = all_clients()
  local bufs = {}
  for _, client in ipairs(clients) do
    for bufnr in pairs(client.attached_buffers or {}) do
      bufs[bufnr] = true
    end
    stop(client)
  end
  -- Wait until the old clients are gone (not just closing), so none of them is reused.
  local gone = vim.wait(5000, function()
    for _, client in ipairs(clients) do
      if vim.lsp.get_client_by_id(client.id) ~= nil then
        return false
      end
    end
    return true
  end, 50)
  if not gone then
    notify("the old language server did not exit within 5 s; starting a new one anyway", vim.log.levels.WARN)
  end
  clients_by_root = {}
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and M.config and matches_filetype(bufnr, M.config) then
      bufs[bufnr] = true
    end
  end
  for bufnr in pairs(bufs) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      M.start(bufnr)
    end
  end
end

--- The running Neovim's version, "0.10.4".
function M.nvim_version()
  local v = vim.version()
  return string.format("%d.%d.%d", v.major, v.minor, v.patch)
end

--- Lines describing the failfast clients, the API used and the settings.
function M.info_lines()
  local lines = {
    string.format("Neovim %s, API %s", M.nvim_version(), M.api()),
  }
  if not M.config then
    table.insert(lines, 'setup() has not been called: require("failfast").setup{}')
    return lines
  end
  table.insert(lines, "cmd: " .. table.concat(M.cmd(), " "))
  table.insert(lines, "settings: " .. vim.inspect(M.config.settings, { newline = " ", indent = "" }))
  local clients = get_clients({ name = NAME })
  if #clients == 0 then
    table.insert(lines, "no failfast client is running")
  end
  for _, client in ipairs(clients) do
    local bufs = {}
    for bufnr in pairs(client.attached_buffers or {}) do
      table.insert(bufs, tostring(bufnr))
    end
    table.insert(
      lines,
      string.format(
        "client %d: root %s, encoding %s, buffers %s%s",
        client.id,
        tostring(client.config.root_dir),
        tostring(client.offset_encoding),
        table.concat(bufs, ","),
        is_stopped(client) and " (stopped)" or ""
      )
    )
  end
  return lines
end

function M.info()
  vim.notify(table.concat(M.info_lines(), "\n"), vim.log.levels.INFO)
end

return M
