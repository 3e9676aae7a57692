;;; eglot-test.el --- drive failfast through Eglot in batch mode  -*- lexical-binding: t; -*-

;; Run by emacs_test.go:
;;   emacs --batch -l eglot-test.el FAILFAST-EL-DIR FAILFAST-BINARY MODULE-DIR
;; It opens MODULE-DIR/handlers.go, connects Eglot to `failfast serve', waits
;; for failfast's diagnostics in Flymake, applies a quick fix through a code
;; action, saves, then saves again with fix-all on save.  Each step prints
;; "STEP name" on stdout; a failure prints "FAIL step: why" on stderr and
;; exits with status 2.  Results are printed as "RESULT key value" lines.

(require 'cl-lib)
(require 'subr-x)
(require 'package)
(package-initialize)

(defvar failfast-test--step "start")

(defvar failfast-test--published 0
  "How many textDocument/publishDiagnostics notifications arrived.")

(defun failfast-test--dump-events ()
  "Print the tail of Eglot's events buffer on stderr."
  (let ((buf (cl-find-if (lambda (b) (string-prefix-p "*EGLOT" (buffer-name b)))
                         (buffer-list))))
    (when buf
      (with-current-buffer buf
        (message "---- tail of %s ----\n%s" (buffer-name buf)
                 (buffer-substring-no-properties
                  (max (point-min) (- (point-max) 6000)) (point-max)))))))

(defun failfast-test--fail (fmt &rest args)
  "Report the current step as failed, with FMT and ARGS, and exit."
  (message "FAIL %s: %s" failfast-test--step (apply #'format fmt args))
  (failfast-test--dump-events)
  (kill-emacs 2))

(defun failfast-test--step (name)
  "Start step NAME."
  (setq failfast-test--step name)
  (princ (format "STEP %s\n" name)))

(defun failfast-test--result (key value)
  "Print result KEY with VALUE."
  (princ (format "RESULT %s %s\n" key value)))

(defun failfast-test--wait (seconds pred what)
  "Wait up to SECONDS for PRED to return non-nil; fail naming WHAT."
  (let ((deadline (+ (float-time) seconds)) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or v (failfast-test--fail "%s did not happen within %ss" what seconds))))

(let* ((args command-line-args-left)
       (lisp-dir (nth 0 args))
       (binary (nth 1 args))
       (module (file-name-as-directory (nth 2 args)))
       (file (expand-file-name "handlers.go" module))
       (debug-on-error nil))
  (setq command-line-args-left nil)
  ;; One hard deadline for the whole run, on top of each step's own.
  (run-at-time 150 nil (lambda () (failfast-test--fail "hard timeout (150s) for the whole run")))

  (failfast-test--step "load eglot")
  (condition-case err
      (require 'eglot)
    (error (failfast-test--fail "eglot is not installed: %S" err)))
  (failfast-test--result "eglot-version"
                         (or (ignore-errors
                               (package-version-join
                                (package-desc-version
                                 (cadr (assq 'eglot package-alist)))))
                             "built-in"))
  (advice-add 'eglot-handle-notification :after
              (lambda (_server method &rest _)
                (when (eq method 'textDocument/publishDiagnostics)
                  (cl-incf failfast-test--published))))
  (unless (fboundp 'go-mode)
    ;; Emacs 28 has no Go mode; a derived mode is all Eglot needs.
    (define-derived-mode go-mode prog-mode "Go"))
  (add-to-list 'auto-mode-alist '("\\.go\\'" . go-mode))

  (failfast-test--step "load failfast.el")
  (add-to-list 'load-path lisp-dir)
  (require 'failfast)
  (setq failfast-program binary
        ;; unchecked-map-lookup off: its absence shows the settings arrived.
        failfast-settings '(:run "onType" :debounceMs 50
                            :rules (:unchecked-map-lookup "off")
                            :logger "slog"))
  (failfast-eglot-setup)
  (setq eglot-sync-connect 30
        eglot-connect-timeout 30
        eglot-autoreconnect nil
        flymake-no-changes-timeout 0.2)

  (failfast-test--step "open handlers.go")
  (find-file file)
  (unless (eq major-mode 'go-mode)
    (failfast-test--fail "handlers.go opened in %s, not go-mode" major-mode))

  (failfast-test--step "connect eglot")
  (condition-case err
      (apply #'eglot (eglot--guess-contact))
    (error (failfast-test--fail "eglot did not connect: %S" err)))
  (failfast-test--wait 30 (lambda () (bound-and-true-p eglot--managed-mode))
                       "eglot managing handlers.go")
  (let ((server (eglot-current-server)))
    (failfast-test--result "server" (plist-get (eglot--server-info server) :name))
    (unless (eglot--server-capable :codeActionProvider)
      (failfast-test--fail "the server offers no code actions")))

  (cl-labels
      ((codes ()
              ;; Rule IDs of the failfast diagnostics Flymake holds, by line.
              (sort
               (cl-loop for d in (flymake-diagnostics)
                        for lsp = (cdr (assq 'eglot-lsp-diag (flymake-diagnostic-data d)))
                        when (and lsp (equal (plist-get lsp :source) "failfast"))
                        collect (format "%d:%s" (line-number-at-pos (flymake-diagnostic-beg d))
                                        (plist-get lsp :code)))
               #'string<))
       (count (rule)
              (cl-count-if (lambda (c) (string-suffix-p (concat ":" rule) c)) (codes)))
       (flush ()
              ;; Batch Emacs never goes idle: send the pending didChange and
              ;; start Flymake by hand.
              (eglot--signal-textDocument/didChange)
              (flymake-start)))

    (failfast-test--step "diagnostics in flymake")
    (flymake-start)
    (failfast-test--wait 60 (lambda () (and (>= (count "unchecked-type-assertion") 2)
                                            (>= (count "discarded-error") 1)))
                         "failfast's diagnostics (2 unchecked-type-assertion, 1 discarded-error) in Flymake")
    (failfast-test--result "before" (string-join (codes) ","))
    (when (> (count "unchecked-map-lookup") 0)
      (failfast-test--fail "unchecked-map-lookup was turned off in the settings but is reported: %s"
                           (codes)))

    (failfast-test--step "code actions at a diagnostic")
    (let* ((diag (or (cl-find-if
                      (lambda (d)
                        (equal (plist-get (cdr (assq 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)
                               "unchecked-type-assertion"))
                      (flymake-diagnostics))
                     (failfast-test--fail "no unchecked-type-assertion diagnostic")))
           (actions (eglot-code-actions (flymake-diagnostic-beg diag)
                                        (flymake-diagnostic-end diag) "quickfix"))
           (titles (mapcar (lambda (a) (plist-get a :title)) actions))
           (fix (or (cl-find-if (lambda (a) (eq (plist-get a :isPreferred) t)) actions)
                    (failfast-test--fail "no preferred quick fix among %S" titles))))
      (failfast-test--result "actions" (string-join titles " | "))
      (dolist (a actions)
        (unless (plist-get a :edit)
          (failfast-test--fail "action %S has no edit: eglot 1.9 cannot resolve it" (plist-get a :title))))
      (unless (cl-some (lambda (tt) (string-prefix-p "Ignore unchecked-type-assertion" tt)) titles)
        (failfast-test--fail "no \"Ignore unchecked-type-assertion on this line\" action in %S" titles))

      (failfast-test--step "apply the quick fix")
      (failfast-test--result "applied" (plist-get fix :title))
      (let ((before (buffer-string)))
        (eglot--apply-workspace-edit (plist-get fix :edit))
        (when (equal before (buffer-string))
          (failfast-test--fail "applying %S changed nothing" (plist-get fix :title)))))

    (failfast-test--step "save after the quick fix")
    (flush)
    (save-buffer)
    (let ((mark failfast-test--published))
      (failfast-test--wait 60 (lambda () (flush)
                                (and (> failfast-test--published mark)
                                     (= (count "unchecked-type-assertion") 1)))
                           "new diagnostics with one unchecked-type-assertion left after the fix"))
    (failfast-test--result "after-fix" (string-join (codes) ","))

    (failfast-test--step "fix-all on save")
    (failfast-fix-all-on-save-mode 1)
    (let ((mark failfast-test--published) before)
      ;; A change to save: a blank line at the end.
      (goto-char (point-max))
      (insert "\n")
      (flush)
      (setq before (buffer-string))
      (save-buffer)
      (when (equal before (buffer-string))
        (failfast-test--fail "fix-all on save changed nothing"))
      (failfast-test--wait 60 (lambda () (flush)
                                (and (> failfast-test--published mark)
                                     (= (count "unchecked-type-assertion") 0)))
                           "new diagnostics with no unchecked-type-assertion after fix-all on save"))
    (failfast-test--result "after-fix-all" (string-join (codes) ","))

    (failfast-test--step "shutdown")
    (let* ((server (eglot-current-server))
           (proc (jsonrpc--process server)))
      (setf (eglot--shutdown-requested server) t)
      (jsonrpc-request server :shutdown nil :timeout 10)
      (jsonrpc-notify server :exit nil)
      (failfast-test--wait 10 (lambda () (not (process-live-p proc)))
                           "the server exiting after shutdown and exit")
      (failfast-test--result "server-exit" (process-exit-status proc))
      (jsonrpc-shutdown server t)))
  (princ "OK\n")
  (kill-emacs 0))
