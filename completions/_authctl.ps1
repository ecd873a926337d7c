
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'authctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'authctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'authctl' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'Create, find, change, disable, enable, reset and delete users')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List and revoke login sessions')
            [CompletionResult]::new('tokens', 'tokens', [CompletionResultType]::ParameterValue, 'List and revoke refresh tokens')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Read the audit trail')
            [CompletionResult]::new('attempts', 'attempts', [CompletionResultType]::ParameterValue, 'Watch failed logins and operate the application''s IP rate limit')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'One snapshot of the auth system''s health (table, JSON or Prometheus)')
            [CompletionResult]::new('purge-expired', 'purge-expired', [CompletionResultType]::ParameterValue, 'Delete what the application''s cleanup deletes, in short batches (for cron)')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply, check, list or revert schema migrations')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the auth data to one verified file or stdout (it holds bearer secrets)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import an export: verified whole first, then written in one transaction')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the resolved configuration and where each value came from')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, elvish, powershell)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;users' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a user (password from a prompt, stdin, a file, an environment variable, or generated)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users by email: filter, page with --after, or stream every row with --all')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user: its fields, password hash scheme, active sessions and tokens, recent audit events')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a user''s email address, name, role or email verification')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a user: no password verifies, refresh tokens revoked, login sessions deactivated')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a disabled user (the password it had works again)')
            [CompletionResult]::new('reset-password', 'reset-password', [CompletionResultType]::ParameterValue, 'Set a new password, revoke the user''s refresh tokens and deactivate its login sessions')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user with its tokens, sessions and auth attempts (the audit trail keeps the history)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import users from another system''s file (Auth0, Kratos, Supabase, CSV) with their bcrypt hashes')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export users with their bcrypt hashes to a file (Auth0, Kratos or CSV format)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;users;create' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name (the application''s `name` column)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Role: user, admin or premium [default: user]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of this file')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from this environment variable (its name, not the value)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--verified', '--verified', [CompletionResultType]::ParameterName, 'Mark the email address verified now (default: not verified)')
            [CompletionResult]::new('--if-not-exists', '--if-not-exists', [CompletionResultType]::ParameterName, 'When the email already exists, change nothing, read no password, and exit 0 (with a warning naming the fields where the existing user differs)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'With --if-not-exists: when the existing user differs from the request (role, or the name or verification given), exit 65 instead of warning')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of stdin (piped: on a terminal it is refused, as typing would echo it — leave the flag out to be prompted)')
            [CompletionResult]::new('--generate-password', '--generate-password', [CompletionResultType]::ParameterName, 'Generate a random password (24 characters) and print it once on stdout')
            [CompletionResult]::new('--allow-weak-password', '--allow-weak-password', [CompletionResultType]::ParameterName, 'Accept a password that fails the policy (too short, common, equal to the email)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;users;list' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Only users with this role (user, admin, premium; `user` includes a NULL role)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only users in this state')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only users whose email or name contains TEXT (any letter case)')
            [CompletionResult]::new('--created-since', '--created-since', [CompletionResultType]::ParameterName, 'Only users created at or after this time (RFC 3339 or YYYY-MM-DD), or within this duration (24h, 7d)')
            [CompletionResult]::new('--inactive', '--inactive', [CompletionResultType]::ParameterName, 'Only dormant users: no login for DURATION (90d, 45d), or never logged in and created longer ago (by the database''s clock)')
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Continue after this email (keyset pagination: pass the last email of the previous page)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many rows')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Show every row (streamed in pages; memory does not grow with the table)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;users;show' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;users;update' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'New email address')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'New name')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'New role: user, admin or premium')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--clear-name', '--clear-name', [CompletionResultType]::ParameterName, 'Remove the name')
            [CompletionResult]::new('--verified', '--verified', [CompletionResultType]::ParameterName, 'Mark the email address verified (now)')
            [CompletionResult]::new('--unverified', '--unverified', [CompletionResultType]::ParameterName, 'Mark the email address not verified')
            [CompletionResult]::new('--allow-no-admin', '--allow-no-admin', [CompletionResultType]::ParameterName, 'Allow this change even when the user is the last enabled admin (leaving no user with role admin who can log in)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;users;disable' {
            [CompletionResult]::new('--inactive', '--inactive', [CompletionResultType]::ParameterName, 'Disable every enabled user with no login for DURATION (90d, 45d), or never logged in and created longer ago (by the database''s clock); asks first (--yes without a terminal)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (recorded in the audit trail)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'With --inactive: never disable this user (email, any letter case; repeat for more)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'With --inactive: only users with this role (user, admin, premium; `user` includes a NULL role)')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'With --inactive: accounts per transaction, fixed [default: adaptive, from 25 toward a 100 ms transaction]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--allow-no-admin', '--allow-no-admin', [CompletionResultType]::ParameterName, 'Allow this change even when the user is the last enabled admin (leaving no user with role admin who can log in)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --inactive: list who would be disabled; change nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;users;enable' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;users;reset-password' {
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of this file')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from this environment variable (its name, not the value)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of stdin (piped: on a terminal it is refused, as typing would echo it — leave the flag out to be prompted)')
            [CompletionResult]::new('--generate-password', '--generate-password', [CompletionResultType]::ParameterName, 'Generate a random password (24 characters) and print it once on stdout')
            [CompletionResult]::new('--allow-weak-password', '--allow-weak-password', [CompletionResultType]::ParameterName, 'Accept a password that fails the policy (too short, common, equal to the email)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;users;delete' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--allow-no-admin', '--allow-no-admin', [CompletionResultType]::ParameterName, 'Allow this change even when the user is the last enabled admin (leaving no user with role admin who can log in)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;users;import' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The file''s format')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'A record whose email already exists (in the database or earlier in the file, any letter case): fail refuses it, skip leaves the existing user unchanged')
            [CompletionResult]::new('--unverifiable-hash', '--unverifiable-hash', [CompletionResultType]::ParameterName, 'A record whose hash the application cannot verify, or with none: refuse it, or create the user disabled (no usable hash)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--partial', '--partial', [CompletionResultType]::ParameterName, 'Write the good records even when others are refused (exit 1 then)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Report what would be imported, skipped and refused; write nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;users;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The file''s format')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;users;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a user (password from a prompt, stdin, a file, an environment variable, or generated)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users by email: filter, page with --after, or stream every row with --all')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user: its fields, password hash scheme, active sessions and tokens, recent audit events')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a user''s email address, name, role or email verification')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a user: no password verifies, refresh tokens revoked, login sessions deactivated')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a disabled user (the password it had works again)')
            [CompletionResult]::new('reset-password', 'reset-password', [CompletionResultType]::ParameterValue, 'Set a new password, revoke the user''s refresh tokens and deactivate its login sessions')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user with its tokens, sessions and auth attempts (the audit trail keeps the history)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import users from another system''s file (Auth0, Kratos, Supabase, CSV) with their bcrypt hashes')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export users with their bcrypt hashes to a file (Auth0, Kratos or CSV format)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;users;help;create' {
            break
        }
        'authctl;users;help;list' {
            break
        }
        'authctl;users;help;show' {
            break
        }
        'authctl;users;help;update' {
            break
        }
        'authctl;users;help;disable' {
            break
        }
        'authctl;users;help;enable' {
            break
        }
        'authctl;users;help;reset-password' {
            break
        }
        'authctl;users;help;delete' {
            break
        }
        'authctl;users;help;import' {
            break
        }
        'authctl;users;help;export' {
            break
        }
        'authctl;users;help;help' {
            break
        }
        'authctl;sessions' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List login sessions, newest expiry first (active ones unless --state says otherwise)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke login sessions: by id, by a leaked token on stdin, every active one of a user, or every active one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;sessions;list' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only those of this user (email or id)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Which states to show')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many rows')
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Continue after this id (keyset pagination: pass the last id of the previous page)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Show every row (streamed in pages; memory does not grow with the table)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;sessions;revoke' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Revoke every active one of this user (email or id)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: recorded in the audit trail')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--all-active', '--all-active', [CompletionResultType]::ParameterName, 'Revoke every active one of every user (asks first; --yes without a terminal)')
            [CompletionResult]::new('--token-stdin', '--token-stdin', [CompletionResultType]::ParameterName, 'Revoke what the token piped on stdin belongs to, whichever kind it is: a refresh token is revoked, a session token''s session deactivated (the same in `tokens revoke` and `sessions revoke`); at most 8 KiB, one trailing newline stripped, never echoed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;sessions;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List login sessions, newest expiry first (active ones unless --state says otherwise)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke login sessions: by id, by a leaked token on stdin, every active one of a user, or every active one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;sessions;help;list' {
            break
        }
        'authctl;sessions;help;revoke' {
            break
        }
        'authctl;sessions;help;help' {
            break
        }
        'authctl;tokens' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List refresh tokens, newest expiry first (active ones unless --state says otherwise)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke refresh tokens: by id, by a leaked token on stdin, every active one of a user, or every active one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;tokens;list' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only those of this user (email or id)')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Which states to show')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many rows')
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Continue after this id (keyset pagination: pass the last id of the previous page)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Show every row (streamed in pages; memory does not grow with the table)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;tokens;revoke' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Revoke every active one of this user (email or id)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why: recorded in the audit trail')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--all-active', '--all-active', [CompletionResultType]::ParameterName, 'Revoke every active one of every user (asks first; --yes without a terminal)')
            [CompletionResult]::new('--token-stdin', '--token-stdin', [CompletionResultType]::ParameterName, 'Revoke what the token piped on stdin belongs to, whichever kind it is: a refresh token is revoked, a session token''s session deactivated (the same in `tokens revoke` and `sessions revoke`); at most 8 KiB, one trailing newline stripped, never echoed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;tokens;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List refresh tokens, newest expiry first (active ones unless --state says otherwise)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke refresh tokens: by id, by a leaked token on stdin, every active one of a user, or every active one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;tokens;help;list' {
            break
        }
        'authctl;tokens;help;revoke' {
            break
        }
        'authctl;tokens;help;help' {
            break
        }
        'authctl;audit' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List audit events, newest first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;audit;list' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only events about this user: an email address (also finds the history of a deleted user, and of an existing user under that address) or a user id (uuid)')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only events with this action')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events since this long ago (15m, 24h, 7d) or this time (RFC 3339 or a date)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many events')
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Show events older than this id (keyset pagination: the last id of the previous page)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;audit;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List audit events, newest first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;audit;help;list' {
            break
        }
        'authctl;audit;help;help' {
            break
        }
        'authctl;attempts' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List authentication attempts, newest first')
            [CompletionResult]::new('top', 'top', [CompletionResultType]::ParameterValue, 'Failed attempts grouped by IP, email or user, largest groups first')
            [CompletionResult]::new('blocked', 'blocked', [CompletionResultType]::ParameterValue, 'IPs the application''s rate limit blocks now, and until when')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Answer what the application''s check_rate_limit answers for an IP: exit 0 allowed, 1 blocked')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Let an IP (or an email) back in: delete the failed attempts that count against it (asks first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;attempts;list' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Only attempts with this email, in any case (the application records it as typed)')
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Only attempts from this address, or from a network (CIDR, IPv4 or IPv6: 10.0.0.0/8, 2001:db8::/32)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only attempts of this user (email or id)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only attempts of this type')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only attempts since this long ago (15m, 24h, 7d) or this time (RFC 3339 or a date)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only attempts before this long ago or this time')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many rows')
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Continue after this attempt (keyset pagination: pass the last id of the previous page)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only failed attempts')
            [CompletionResult]::new('--succeeded', '--succeeded', [CompletionResultType]::ParameterName, 'Only successful attempts')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Show every matching row (streamed in pages; memory does not grow with the table)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;attempts;top' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Group by')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Failed attempts since this long ago (15m, 1h, 24h) or this time')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many groups')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;attempts;blocked' {
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'The rate-limit window: whole minutes from 1m to 1d [default: 15m, the application''s]')
            [CompletionResult]::new('--max', '--max', [CompletionResultType]::ParameterName, 'Failed attempts within the window that block an IP: 1 to 1000 [default: 5, the application''s]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;attempts;check' {
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'The address to check (IPv4 or IPv6)')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'The rate-limit window: whole minutes from 1m to 1d [default: 15m, the application''s]')
            [CompletionResult]::new('--max', '--max', [CompletionResultType]::ParameterName, 'Failed attempts within the window that block an IP: 1 to 1000 [default: 5, the application''s]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;attempts;clear' {
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'Delete the failed attempts from this address within the window')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Delete the failed attempts with this email (in any case) within the window')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'The rate-limit window: whole minutes from 1m to 1d [default: 15m, the application''s]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;attempts;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List authentication attempts, newest first')
            [CompletionResult]::new('top', 'top', [CompletionResultType]::ParameterValue, 'Failed attempts grouped by IP, email or user, largest groups first')
            [CompletionResult]::new('blocked', 'blocked', [CompletionResultType]::ParameterValue, 'IPs the application''s rate limit blocks now, and until when')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Answer what the application''s check_rate_limit answers for an IP: exit 0 allowed, 1 blocked')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Let an IP (or an email) back in: delete the failed attempts that count against it (asks first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;attempts;help;list' {
            break
        }
        'authctl;attempts;help;top' {
            break
        }
        'authctl;attempts;help;blocked' {
            break
        }
        'authctl;attempts;help;check' {
            break
        }
        'authctl;attempts;help;clear' {
            break
        }
        'authctl;attempts;help;help' {
            break
        }
        'authctl;stats' {
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Rate-limit window for the blocked-IP count: whole minutes from 1m to 1d [default: 15m, the application''s]')
            [CompletionResult]::new('--max', '--max', [CompletionResultType]::ParameterName, 'Failed attempts within the window that block an IP: 1 to 1000 [default: 5, the application''s]')
            [CompletionResult]::new('--textfile', '--textfile', [CompletionResultType]::ParameterName, 'Write the Prometheus text to PATH atomically (temp file + fsync + rename, mode 0644); prints nothing on stdout, in any format')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Print the Prometheus text exposition format (same as `-o prometheus`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;purge-expired' {
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'Keep rows that expired less than this long ago (e.g. 1h)')
            [CompletionResult]::new('--revoked-retention', '--revoked-retention', [CompletionResultType]::ParameterName, 'Delete revoked refresh tokens once revoked this long ago (the application''s 7 days)')
            [CompletionResult]::new('--inactive-retention', '--inactive-retention', [CompletionResultType]::ParameterName, 'Delete inactive sessions idle this long (the application''s 30 days)')
            [CompletionResult]::new('--attempts-retention', '--attempts-retention', [CompletionResultType]::ParameterName, 'Delete auth attempts older than this (the application''s 30 days)')
            [CompletionResult]::new('--audit-retention', '--audit-retention', [CompletionResultType]::ParameterName, 'Also delete audit events older than this (kept forever without it)')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Only these tables (repeat or comma-separate)')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Rows per batch; fixed when given, otherwise adapted toward a 100 ms transaction')
            [CompletionResult]::new('--max-rows', '--max-rows', [CompletionResultType]::ParameterName, 'Stop after deleting this many rows in this run (exit 0; the tables it did not finish are reported incomplete and do not count as purged in `stats`)')
            [CompletionResult]::new('--sleep', '--sleep', [CompletionResultType]::ParameterName, 'Pause after each batch that deleted rows (e.g. 50ms) to leave room for the application')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait for another purge to finish (up to DURATION, default 5m) instead of exiting 75')
            [CompletionResult]::new('--strategy', '--strategy', [CompletionResultType]::ParameterName, 'PostgreSQL: how to walk the tables')
            [CompletionResult]::new('--statement-timeout', '--statement-timeout', [CompletionResultType]::ParameterName, 'PostgreSQL: abort and retry (smaller) a batch running longer than this')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--allow-short-audit-retention', '--allow-short-audit-retention', [CompletionResultType]::ParameterName, 'Accept an --audit-retention shorter than 30 days')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count what would be deleted; delete nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;migrate' {
            [CompletionResult]::new('--lock-wait', '--lock-wait', [CompletionResultType]::ParameterName, 'How long migrate waits for another runner''s lock [env: AUTHCTL_MIGRATE_LOCK_WAIT] [default: 2m]')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Apply nothing; exit 1 when migrations are pending')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List what migrate would do with each pending step (adopt, create or apply); apply nothing')
            [CompletionResult]::new('--check-production', '--check-production', [CompletionResultType]::ParameterName, 'Check production readiness first (backend, JWT secrets, database password, TLS, reachability, migration integrity); refuse with every problem listed. With --dry-run or --check only the checks run')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'With --check-production: warnings (e.g. no TLS to a remote host) fail too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show applied and pending migrations')
            [CompletionResult]::new('revert', 'revert', [CompletionResultType]::ParameterValue, 'Revert the newest applied migrations: authctl''s own first (the audit trail), then application steps authctl created — those only with --destroy-data; steps the application ran are never reverted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;migrate;status' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;migrate;revert' {
            [CompletionResult]::new('--steps', '--steps', [CompletionResultType]::ParameterName, 'How many migrations to revert')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Revert every applied migration')
            [CompletionResult]::new('--destroy-data', '--destroy-data', [CompletionResultType]::ParameterName, 'Allow reverting application steps authctl created: drops the application''s tables (users, tokens, sessions …) with all their rows')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;migrate;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show applied and pending migrations')
            [CompletionResult]::new('revert', 'revert', [CompletionResultType]::ParameterValue, 'Revert the newest applied migrations: authctl''s own first (the audit trail), then application steps authctl created — those only with --destroy-data; steps the application ran are never reverted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;migrate;help;status' {
            break
        }
        'authctl;migrate;help;revert' {
            break
        }
        'authctl;migrate;help;help' {
            break
        }
        'authctl;export' {
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Only these tables (comma-separated or repeated; default: all)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--exclude-secrets', '--exclude-secrets', [CompletionResultType]::ParameterName, 'Leave out the bearer secrets (refresh tokens, session tokens, password-reset tokens): such a file restores users and their passwords, and every user logs in again')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;import' {
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'What to do with a record already in the database')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Verify the file and report what would be inserted, updated, skipped and refused; write nothing (exit 65 when something would be refused, as the import would)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;config' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;completions' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;man' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: table, json or csv (and prometheus, only for `authctl stats`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (required for destructive commands without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'authctl;help' {
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'Create, find, change, disable, enable, reset and delete users')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List and revoke login sessions')
            [CompletionResult]::new('tokens', 'tokens', [CompletionResultType]::ParameterValue, 'List and revoke refresh tokens')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Read the audit trail')
            [CompletionResult]::new('attempts', 'attempts', [CompletionResultType]::ParameterValue, 'Watch failed logins and operate the application''s IP rate limit')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'One snapshot of the auth system''s health (table, JSON or Prometheus)')
            [CompletionResult]::new('purge-expired', 'purge-expired', [CompletionResultType]::ParameterValue, 'Delete what the application''s cleanup deletes, in short batches (for cron)')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply, check, list or revert schema migrations')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the auth data to one verified file or stdout (it holds bearer secrets)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import an export: verified whole first, then written in one transaction')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the resolved configuration and where each value came from')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, elvish, powershell)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'authctl;help;users' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a user (password from a prompt, stdin, a file, an environment variable, or generated)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users by email: filter, page with --after, or stream every row with --all')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user: its fields, password hash scheme, active sessions and tokens, recent audit events')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a user''s email address, name, role or email verification')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a user: no password verifies, refresh tokens revoked, login sessions deactivated')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a disabled user (the password it had works again)')
            [CompletionResult]::new('reset-password', 'reset-password', [CompletionResultType]::ParameterValue, 'Set a new password, revoke the user''s refresh tokens and deactivate its login sessions')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user with its tokens, sessions and auth attempts (the audit trail keeps the history)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import users from another system''s file (Auth0, Kratos, Supabase, CSV) with their bcrypt hashes')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export users with their bcrypt hashes to a file (Auth0, Kratos or CSV format)')
            break
        }
        'authctl;help;users;create' {
            break
        }
        'authctl;help;users;list' {
            break
        }
        'authctl;help;users;show' {
            break
        }
        'authctl;help;users;update' {
            break
        }
        'authctl;help;users;disable' {
            break
        }
        'authctl;help;users;enable' {
            break
        }
        'authctl;help;users;reset-password' {
            break
        }
        'authctl;help;users;delete' {
            break
        }
        'authctl;help;users;import' {
            break
        }
        'authctl;help;users;export' {
            break
        }
        'authctl;help;sessions' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List login sessions, newest expiry first (active ones unless --state says otherwise)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke login sessions: by id, by a leaked token on stdin, every active one of a user, or every active one')
            break
        }
        'authctl;help;sessions;list' {
            break
        }
        'authctl;help;sessions;revoke' {
            break
        }
        'authctl;help;tokens' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List refresh tokens, newest expiry first (active ones unless --state says otherwise)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke refresh tokens: by id, by a leaked token on stdin, every active one of a user, or every active one')
            break
        }
        'authctl;help;tokens;list' {
            break
        }
        'authctl;help;tokens;revoke' {
            break
        }
        'authctl;help;audit' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List audit events, newest first')
            break
        }
        'authctl;help;audit;list' {
            break
        }
        'authctl;help;attempts' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List authentication attempts, newest first')
            [CompletionResult]::new('top', 'top', [CompletionResultType]::ParameterValue, 'Failed attempts grouped by IP, email or user, largest groups first')
            [CompletionResult]::new('blocked', 'blocked', [CompletionResultType]::ParameterValue, 'IPs the application''s rate limit blocks now, and until when')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Answer what the application''s check_rate_limit answers for an IP: exit 0 allowed, 1 blocked')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Let an IP (or an email) back in: delete the failed attempts that count against it (asks first)')
            break
        }
        'authctl;help;attempts;list' {
            break
        }
        'authctl;help;attempts;top' {
            break
        }
        'authctl;help;attempts;blocked' {
            break
        }
        'authctl;help;attempts;check' {
            break
        }
        'authctl;help;attempts;clear' {
            break
        }
        'authctl;help;stats' {
            break
        }
        'authctl;help;purge-expired' {
            break
        }
        'authctl;help;migrate' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show applied and pending migrations')
            [CompletionResult]::new('revert', 'revert', [CompletionResultType]::ParameterValue, 'Revert the newest applied migrations: authctl''s own first (the audit trail), then application steps authctl created — those only with --destroy-data; steps the application ran are never reverted')
            break
        }
        'authctl;help;migrate;status' {
            break
        }
        'authctl;help;migrate;revert' {
            break
        }
        'authctl;help;export' {
            break
        }
        'authctl;help;import' {
            break
        }
        'authctl;help;config' {
            break
        }
        'authctl;help;completions' {
            break
        }
        'authctl;help;man' {
            break
        }
        'authctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
