-- Runs the "Without this plugin" snippet of README.md for this Neovim (bare-0.11 on 0.11+, bare-0.8
-- on 0.8-0.10; nothing on 0.7, which has neither vim.lsp.start nor vim.fs) with the test's binary
-- in cmd, opens store.go and waits for failfast's diagnostics, with the snippet's settings applied
-- (nil-nil-return off) through workspace/configuration alone. Run by nvim_test.go like e2e.lua,
-- with FAILFAST_README set.

local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/harness.lua")

H.run(function()
  local v = vim.version()
  local name
  if H.has("0.11") then
    name = "bare-0.11"
  elseif H.has("0.8") then
    name = "bare-0.8"
  else
    H.step(string.format("nvim %d.%d.%d: no README snippet for 0.7 (use the plugin)", v.major, v.minor, v.patch))
    return
  end
  H.step(string.format("nvim %d.%d.%d: README snippet %s", v.major, v.minor, v.patch, name))
  local path = assert(os.getenv("FAILFAST_README"), "FAILFAST_README not set")
  local readme = assert(io.open(path, "r"))
  local text = readme:read("*a")
  readme:close()
  local marker = text:find("<!-- snippet " .. name .. ":", 1, true)
  H.check(marker ~= nil, "README.md has no snippet " .. name)
  local code = text:match("```lua\n(.-)\n```", marker)
  H.check(code ~= nil, "README.md snippet " .. name .. " has no lua block")
  local cmd = '{ "failfast", "serve" }'
  H.check(code:find(cmd, 1, true), "README.md snippet " .. name .. " does not start " .. cmd)
  code = code:gsub(vim.pesc(cmd), function()
    return string.format("{ %q, \"serve\" }", H.bin)
  end)
  local chunk, err = loadstring(code, "README " .. name)
  H.check(chunk ~= nil, "README.md snippet " .. name .. " does not compile: " .. tostring(err))
  chunk()

  H.step("open store.go")
  vim.cmd("edit! " .. vim.fn.fnameescape(H.work .. "/store.go"))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = "go"
  H.wait_for("a failfast client attached to store.go", function()
    return #vim.lsp.get_clients({ bufnr = bufnr, name = "failfast" }) == 1
  end)
  -- Diagnostics are published per file at once: unwrapped-error without nil-nil-return means the
  -- settings from workspace/configuration were in force (the defaults report both).
  H.wait_for("diagnostics with unwrapped-error and without nil-nil-return (the snippet's settings)", function()
    return #H.failfast_diags(bufnr, "unwrapped-error") > 0 and #H.failfast_diags(bufnr, "nil-nil-return") == 0
  end)
  H.step("the diagnostics came by " .. tostring(os.getenv("FAILFAST_DIAGNOSTICS")))
  H.check_delivery(bufnr)
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = "failfast" })[1]
  if H.has("0.11") then
    client:stop()
  else
    client.stop()
  end
end)
