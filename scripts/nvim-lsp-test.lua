-- A real editor against `isolint server`: headless Neovim 0.7 (Debian bookworm's) starts the
-- server with vim.lsp.start_client, opens a Bicep and a Terraform file, reads the
-- diagnostics, applies a code action through vim.lsp.util.apply_workspace_edit, waits for
-- the finding to go, and stops the server, which must exit with status 0.
--
-- Run by scripts/nvim-lsp-test.sh, which sets:
--   ISOLINT_BIN        the isolint binary
--   ISOLINT_TEST_DIR   a folder holding bicep/main.bicep and terraform/main.tf
--   ISOLINT_QUICK_FIX  1: apply the rule's preferred quick fix and check the value is
--                      fixed; otherwise apply the suppression and check the comment.
-- Any failure ends Neovim with `cquit 1`; success with `qall!` (status 0).

local bin = os.getenv('ISOLINT_BIN')
local dir = os.getenv('ISOLINT_TEST_DIR')
local quick_fix = os.getenv('ISOLINT_QUICK_FIX') == '1'
local patience = 30000

local function say(message)
  io.stdout:write(message .. '\n')
end

local function fail(message)
  io.stderr:write('nvim-lsp-test: FAIL: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

if not bin or not dir then
  fail('ISOLINT_BIN and ISOLINT_TEST_DIR must be set')
end

local exit_code = nil
local client_id = vim.lsp.start_client({
  name = 'isolint',
  cmd = { bin, 'server' },
  root_dir = dir,
  workspace_folders = { { uri = vim.uri_from_fname(dir), name = 'test' } },
  on_exit = function(code, _signal, _id)
    exit_code = code
  end,
})
if not client_id then
  fail('vim.lsp.start_client failed')
end

-- The AML001 diagnostics of `buf`.
local function aml001(buf)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'AML001' and d.source == 'isolint' then
      table.insert(found, d)
    end
  end
  return found
end

-- Opens `path`, checks AML001 is reported on the line holding `needle`, applies an action,
-- checks the result with `expected` (a Lua pattern for the edited buffer), and waits for
-- AML001 to go.
local function check(path, needle, expected_fix, expected_comment)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)

  if not vim.wait(patience, function() return #aml001(buf) > 0 end, 20) then
    fail(path .. ': no AML001 diagnostic within 30 s')
  end
  local d = aml001(buf)[1]
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  if not line:find(needle, 1, true) then
    fail(path .. ': AML001 is on line ' .. (d.lnum + 1) .. ' (' .. line .. '), not on ' .. needle)
  end
  say(string.format('%s:%d:%d: %s', vim.fn.fnamemodify(path, ':t'), d.lnum + 1, d.col + 1, d.message))

  local client = vim.lsp.get_client_by_id(client_id)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.end_lnum + 1, character = 0 } },
    context = { diagnostics = {} },
  }
  local response = client.request_sync('textDocument/codeAction', params, patience, buf)
  if not response or response.err or not response.result then
    fail(path .. ': textDocument/codeAction failed: ' .. vim.inspect(response))
  end
  local chosen = nil
  for _, action in ipairs(response.result) do
    say('  action: ' .. action.title .. (action.isPreferred and ' (preferred)' or ''))
    local wanted
    if quick_fix then
      wanted = action.isPreferred == true
    else
      wanted = vim.startswith(action.title, 'Suppress AML001')
    end
    if wanted and not chosen then
      chosen = action
    end
  end
  if not chosen then
    fail(path .. ': no ' .. (quick_fix and 'preferred quick fix' or 'suppression') .. ' among the actions')
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)

  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  local expected = quick_fix and expected_fix or expected_comment
  if not text:find(expected) then
    fail(path .. ': after "' .. chosen.title .. '" the buffer does not match ' .. expected .. ':\n' .. text)
  end
  say('  applied: ' .. chosen.title)

  if not vim.wait(patience, function() return #aml001(buf) == 0 end, 20) then
    fail(path .. ': AML001 is still reported after the action')
  end
  say('  AML001 cleared')
end

check(
  dir .. '/bicep/main.bicep',
  'publicNetworkAccess',
  "publicNetworkAccess: 'Disabled'",
  '\n    // isolint%-ignore AML001 reason="TODO: [^"]*" until=%d%d%d%d%-%d%d%-%d%d\n    publicNetworkAccess'
)
check(
  dir .. '/terraform/main.tf',
  'public_network_access_enabled',
  'public_network_access_enabled = false',
  '\n  # isolint%-ignore AML001 reason="TODO: [^"]*" until=%d%d%d%d%-%d%d%-%d%d\n  public_network_access_enabled'
)

vim.lsp.stop_client(client_id)
if not vim.wait(patience, function() return exit_code ~= nil end, 20) then
  fail('the server did not exit after shutdown')
end
if exit_code ~= 0 then
  fail('the server exited with status ' .. exit_code .. ' after shutdown and exit')
end
say('server exited with status 0')
vim.cmd('qall!')
