" Description: failfast, the language server that finds silent failures in Go code, for ALE.
"
" Put this directory (editors/vim) on 'runtimepath', or copy this file to
" ~/.vim/ale_linters/go/failfast.vim, then enable the linter next to gopls:
"
"   let g:ale_linters = {'go': ['gopls', 'failfast']}
"   let g:ale_go_failfast_settings = {
"   \   'run': 'onType',
"   \   'debounceMs': 150,
"   \   'rules': {'unchecked-index': 'off'},
"   \   'logger': 'slog',
"   \}
"
" The settings go to the server as initializationOptions and again, under
" "failfast", in workspace/didChangeConfiguration (ALE answers no
" workspace/configuration requests, so the server takes them from there).
" Diagnostics carry the rule ID as their code: add %code% to
" g:ale_echo_msg_format to see it. Quick fixes: :ALECodeAction on a finding.

call ale#Set('go_failfast_executable', 'failfast')
call ale#Set('go_failfast_settings', {})

" The project root is the nearest go.work or go.mod, else the file's directory.
function! ale_linters#go#failfast#FindProjectRoot(buffer) abort
    for l:name in ['go.work', 'go.mod']
        let l:found = ale#path#FindNearestFile(a:buffer, l:name)

        if !empty(l:found)
            return fnamemodify(l:found, ':h')
        endif
    endfor

    return fnamemodify(bufname(a:buffer), ':p:h')
endfunction

function! ale_linters#go#failfast#GetConfig(buffer) abort
    return {'failfast': ale#Var(a:buffer, 'go_failfast_settings')}
endfunction

call ale#linter#Define('go', {
\   'name': 'failfast',
\   'lsp': 'stdio',
\   'executable': {b -> ale#Var(b, 'go_failfast_executable')},
\   'command': '%e serve',
\   'project_root': function('ale_linters#go#failfast#FindProjectRoot'),
\   'initialization_options': {b -> ale#Var(b, 'go_failfast_settings')},
\   'lsp_config': function('ale_linters#go#failfast#GetConfig'),
\})
