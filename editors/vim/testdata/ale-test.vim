" ale-test.vim: drive failfast through ALE in a headless Vim. Run by vim_test.go:
"
"   vim -N -u ale-test.vim -i NONE -n -es
"
" with $FAILFAST_ALE_DIR (ALE's directory), $FAILFAST_VIM_DIR (editors/vim),
" $FAILFAST_BIN (the failfast binary), $FAILFAST_MODULE (a copy of
" testdata/demo) and $FAILFAST_OUT (where the result goes). It opens
" handlers.go, lints it with ALE's failfast linter, waits for failfast's
" diagnostics and writes them as JSON to $FAILFAST_OUT. Lines starting with
" "STEP " name the steps done; "FAIL step: why" ends a failed run.

set nocompatible
set nomore
let s:out = $FAILFAST_OUT
let s:log = []
let s:step = 'start'

function! s:Step(name) abort
    let s:step = a:name
    call add(s:log, 'STEP ' . a:name)
    call writefile(s:log, s:out . '.log')
endfunction

function! s:Fail(why) abort
    call add(s:log, 'FAIL ' . s:step . ': ' . a:why)
    call writefile(s:log, s:out . '.log')
    cquit!
endfunction

" failfast's items in ALE's list for the current buffer.
function! s:Items() abort
    return filter(copy(ale#engine#GetLoclist(bufnr(''))), 'get(v:val, "linter_name", "") is# "failfast"')
endfunction

function! s:Codes() abort
    return map(s:Items(), 'get(v:val, "code", "")')
endfunction

" Wait up to a:seconds for a:Pred() to be true, letting ALE's job and
" channel callbacks run.
function! s:Wait(seconds, Pred, what) abort
    let l:start = reltime()
    while !a:Pred()
        if reltimefloat(reltime(l:start)) > a:seconds
            call s:Fail(a:what . ' did not happen within ' . a:seconds . 's; ALE has ' . string(ale#engine#GetLoclist(bufnr(''))))
        endif
        sleep 50m
    endwhile
endfunction

try
    call s:Step('load ALE')
    execute 'set runtimepath^=' . fnameescape($FAILFAST_ALE_DIR)
    execute 'set runtimepath+=' . fnameescape($FAILFAST_VIM_DIR)
    filetype plugin on
    let g:ale_enabled = 1
    let g:ale_linters = {'go': ['failfast']}
    let g:ale_go_failfast_executable = $FAILFAST_BIN
    " unchecked-map-lookup off: its absence shows the settings arrived.
    let g:ale_go_failfast_settings = {
    \   'run': 'onType',
    \   'debounceMs': 50,
    \   'rules': {'unchecked-map-lookup': 'off'},
    \   'logger': 'slog',
    \}
    runtime plugin/ale.vim
    if !exists('g:loaded_ale')
        call s:Fail('ALE did not load from ' . $FAILFAST_ALE_DIR)
    endif
    call add(s:log, 'RESULT ale ' . (ale#Has('ale-3.3.0') ? '>=3.3.0' : '<3.3.0'))

    call s:Step('open handlers.go')
    execute 'edit ' . fnameescape($FAILFAST_MODULE . '/handlers.go')
    if &filetype isnot# 'go'
        set filetype=go
    endif
    let s:linters = map(ale#linter#Get('go'), 'v:val.name')
    if index(s:linters, 'failfast') < 0
        call s:Fail('ALE has no failfast linter for go: ' . string(s:linters))
    endif

    call s:Step('lint with ALE')
    ALELint
    call s:Wait(60, {-> count(s:Codes(), 'unchecked-type-assertion') >= 2 && count(s:Codes(), 'discarded-error') >= 1},
    \   "failfast's diagnostics (2 unchecked-type-assertion, 1 discarded-error) in ALE")
    " Let a late publish (the whole-package pass) land too.
    sleep 300m

    call s:Step('write results')
    let s:result = map(s:Items(), '{"lnum": v:val.lnum, "col": v:val.col, "code": get(v:val, "code", ""), "type": get(v:val, "type", ""), "text": v:val.text}')
    call writefile([json_encode(s:result)], s:out)

    " :ALECodeAction lists the actions and reads a number with
    " ale#util#Input: answer it as a user would, picking the quick fix.
    call s:Step('code action')
    runtime autoload/ale/util.vim
    let s:prompt = ''
    function! ale#util#Input(message, value, ...) abort
        let s:prompt = a:message
        let l:n = 0
        for l:line in split(a:message, "\n")
            let l:m = matchlist(l:line, '^\(\d\+\)) Use the two-value form')
            if !empty(l:m)
                let l:n = l:m[1]
            endif
        endfor
        return '' . l:n
    endfunction
    let s:target = filter(copy(s:result), 'v:val.code is# "unchecked-type-assertion"')[0]
    call cursor(s:target.lnum, s:target.col)
    let s:before = getline(1, '$')
    ALECodeAction
    call s:Wait(30, {-> getline(1, '$') !=# s:before}, 'the quick fix changing the buffer')
    call add(s:log, 'RESULT menu ' . substitute(s:prompt, "\n", ' | ', 'g'))

    call s:Step('write and lint again')
    let g:ale_lint_on_save = 1
    write
    ALELint
    call s:Wait(60, {-> count(s:Codes(), 'unchecked-type-assertion') == 1},
    \   'new diagnostics with one unchecked-type-assertion left after the quick fix')
    call add(s:log, 'RESULT after-fix ' . join(map(s:Items(), 'v:val.lnum . ":" . get(v:val, "code", "")'), ','))
    call add(s:log, 'OK')
    call writefile(s:log, s:out . '.log')
    ALEStopAllLSPs
    qall!
catch
    call s:Fail(v:exception . ' at ' . v:throwpoint)
endtry
