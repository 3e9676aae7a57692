;;; failfast.el --- failfast language server for Eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))
;; Keywords: languages, tools, go
;; URL: https://github.com/failfast-dev/failfast

;;; Commentary:

;; failfast finds silent failures in Go code.  This file connects its
;; language server (`failfast serve') to Eglot:
;;
;;   (add-to-list 'load-path "/path/to/failfast/editors/emacs")
;;   (require 'failfast)
;;   (setq failfast-settings '(:run "onType" :debounceMs 150
;;                             :rules (:unchecked-index "off")
;;                             :logger "slog"))
;;   (failfast-eglot-setup)
;;   (add-hook 'go-mode-hook #'eglot-ensure)        ; or go-ts-mode-hook
;;   (add-hook 'eglot-managed-mode-hook #'failfast-fix-all-on-save-mode)
;;
;; Eglot runs one server per buffer: with this setup Go buffers get
;; failfast instead of gopls.  To run both, use lsp-mode (see
;; editors/README.md), which can start failfast as an add-on server.
;;
;; The settings go to the server twice, as the server expects: as
;; initializationOptions, and as the "failfast" section of
;; `eglot-workspace-configuration', which the server pulls whenever Eglot
;; signals workspace/didChangeConfiguration.  A project that sets its own
;; `eglot-workspace-configuration' (in .dir-locals.el) should include a
;; :failfast section, or failfast falls back to its defaults there.
;;
;; Quick fixes are ordinary code actions (M-x eglot-code-actions, or
;; eglot-code-action-quickfix).  Eglot 1.9 cannot resolve code actions,
;; so it advertises no resolveSupport and failfast puts each edit in the
;; action itself.

;;; Code:

(require 'eglot)
(require 'cl-lib)

(defgroup failfast nil
  "The failfast language server for Go, through Eglot."
  :group 'eglot
  :prefix "failfast-")

(defcustom failfast-program "failfast"
  "The failfast binary: a name on `exec-path' or an absolute file name."
  :type 'string)

(defcustom failfast-major-modes '(go-mode go-ts-mode)
  "Major modes whose buffers Eglot connects to failfast."
  :type '(repeat symbol))

(defcustom failfast-settings '(:run "onType" :debounceMs 150)
  "failfast's settings, as a plist that becomes a JSON object.
Keys: :run (\"onType\" or \"onSave\"), :debounceMs (milliseconds,
0 to 60000), :rules (a plist of rule ID to \"off\", \"on\", \"error\",
\"warning\", \"info\" or \"hint\", e.g. (:unchecked-index \"off\")),
:logger (\"slog\", \"log\", an expression naming a logger in scope, or
\"\" for what each file already uses).  A bad setting is reported by
the server, by name, and the others apply.  After changing this in a
running session, call `eglot-signal-didChangeConfiguration'."
  :type 'plist)

(defconst failfast-fix-all-kind "source.fixAll.failfast"
  "The code action kind of failfast's fix-all action.")

(defun failfast--initialization-options (_server)
  "The initializationOptions Eglot sends: `failfast-settings'."
  (or failfast-settings eglot--{}))

(defun failfast--contact ()
  "The Eglot contact for failfast."
  (list failfast-program "serve"
        :initializationOptions #'failfast--initialization-options))

(defvar failfast--user-workspace-configuration nil
  "The default `eglot-workspace-configuration' found by `failfast-eglot-setup'.")

(defun failfast-workspace-configuration (server)
  "Eglot workspace configuration: the user's sections plus :failfast.
SERVER is passed on when the previous value was a function."
  (let ((base (if (functionp failfast--user-workspace-configuration)
                  (funcall failfast--user-workspace-configuration server)
                failfast--user-workspace-configuration)))
    (if (plist-member base :failfast)
        base
      (append (list :failfast (or failfast-settings eglot--{})) base))))

;;;###autoload
(defun failfast-eglot-setup ()
  "Make Eglot start `failfast serve' for `failfast-major-modes'.
Also make the default `eglot-workspace-configuration' answer the
server's \"failfast\" section with `failfast-settings'."
  (interactive)
  (let ((modes (mapcar (lambda (mode) (list mode :language-id "go"))
                       failfast-major-modes)))
    (setq eglot-server-programs
          (cons (cons modes (lambda (&rest _) (failfast--contact)))
                (cl-remove-if (lambda (entry) (equal (car entry) modes))
                              eglot-server-programs))))
  (let ((current (default-value 'eglot-workspace-configuration)))
    (unless (eq current #'failfast-workspace-configuration)
      (setq failfast--user-workspace-configuration current)
      (setq-default eglot-workspace-configuration #'failfast-workspace-configuration))))

;;;###autoload
(defun failfast-fix-all ()
  "Apply every safe failfast fix in the current buffer."
  (interactive)
  (let ((actions (eglot-code-actions (point-min) (point-max) failfast-fix-all-kind)))
    (dolist (action actions)
      (let ((edit (plist-get action :edit)))
        (when edit
          (eglot--apply-workspace-edit edit))))
    (when (called-interactively-p 'interactive)
      (message "failfast: %s" (if actions "applied the safe fixes" "nothing to fix")))))

(defun failfast--fix-all-before-save ()
  "Run `failfast-fix-all' when the buffer is managed by a failfast server."
  (when (and (bound-and-true-p eglot--managed-mode)
             (memq major-mode failfast-major-modes))
    (condition-case err
        (failfast-fix-all)
      (error (message "failfast: fix-all on save failed: %s" (error-message-string err))))))

;;;###autoload
(define-minor-mode failfast-fix-all-on-save-mode
  "Apply failfast's safe fixes (source.fixAll.failfast) before each save."
  :lighter nil
  (if failfast-fix-all-on-save-mode
      (add-hook 'before-save-hook #'failfast--fix-all-before-save nil t)
    (remove-hook 'before-save-hook #'failfast--fix-all-before-save t)))

(provide 'failfast)
;;; failfast.el ends here
