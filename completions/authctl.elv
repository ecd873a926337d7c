
use builtin;
use str;

set edit:completion:arg-completer[authctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'authctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'authctl'= {
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand users 'Create, find, change, disable, enable, reset and delete users'
            cand sessions 'List and revoke login sessions'
            cand tokens 'List and revoke refresh tokens'
            cand audit 'Read the audit trail'
            cand attempts 'Watch failed logins and operate the application''s IP rate limit'
            cand stats 'One snapshot of the auth system''s health (table, JSON or Prometheus)'
            cand purge-expired 'Delete what the application''s cleanup deletes, in short batches (for cron)'
            cand migrate 'Apply, check, list or revert schema migrations'
            cand export 'Export the auth data to one verified file or stdout (it holds bearer secrets)'
            cand import 'Import an export: verified whole first, then written in one transaction'
            cand config 'Show the resolved configuration and where each value came from'
            cand completions 'Print shell completions (bash, zsh, fish, elvish, powershell)'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;users'= {
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a user (password from a prompt, stdin, a file, an environment variable, or generated)'
            cand list 'List users by email: filter, page with --after, or stream every row with --all'
            cand show 'Show one user: its fields, password hash scheme, active sessions and tokens, recent audit events'
            cand update 'Change a user''s email address, name, role or email verification'
            cand disable 'Disable a user: no password verifies, refresh tokens revoked, login sessions deactivated'
            cand enable 'Enable a disabled user (the password it had works again)'
            cand reset-password 'Set a new password, revoke the user''s refresh tokens and deactivate its login sessions'
            cand delete 'Delete a user with its tokens, sessions and auth attempts (the audit trail keeps the history)'
            cand import 'Import users from another system''s file (Auth0, Kratos, Supabase, CSV) with their bcrypt hashes'
            cand export 'Export users with their bcrypt hashes to a file (Auth0, Kratos or CSV format)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;users;create'= {
            cand --name 'Name (the application''s `name` column)'
            cand --role 'Role: user, admin or premium [default: user]'
            cand --password-file 'Read the password from the first line of this file'
            cand --password-env 'Read the password from this environment variable (its name, not the value)'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --verified 'Mark the email address verified now (default: not verified)'
            cand --if-not-exists 'When the email already exists, change nothing, read no password, and exit 0 (with a warning naming the fields where the existing user differs)'
            cand --strict 'With --if-not-exists: when the existing user differs from the request (role, or the name or verification given), exit 65 instead of warning'
            cand --password-stdin 'Read the password from the first line of stdin (piped: on a terminal it is refused, as typing would echo it — leave the flag out to be prompted)'
            cand --generate-password 'Generate a random password (24 characters) and print it once on stdout'
            cand --allow-weak-password 'Accept a password that fails the policy (too short, common, equal to the email)'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;users;list'= {
            cand --role 'Only users with this role (user, admin, premium; `user` includes a NULL role)'
            cand --status 'Only users in this state'
            cand --search 'Only users whose email or name contains TEXT (any letter case)'
            cand --created-since 'Only users created at or after this time (RFC 3339 or YYYY-MM-DD), or within this duration (24h, 7d)'
            cand --inactive 'Only dormant users: no login for DURATION (90d, 45d), or never logged in and created longer ago (by the database''s clock)'
            cand --after 'Continue after this email (keyset pagination: pass the last email of the previous page)'
            cand --limit 'Show at most this many rows'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --all 'Show every row (streamed in pages; memory does not grow with the table)'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;users;show'= {
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;users;update'= {
            cand --email 'New email address'
            cand --name 'New name'
            cand --role 'New role: user, admin or premium'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --clear-name 'Remove the name'
            cand --verified 'Mark the email address verified (now)'
            cand --unverified 'Mark the email address not verified'
            cand --allow-no-admin 'Allow this change even when the user is the last enabled admin (leaving no user with role admin who can log in)'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;users;disable'= {
            cand --inactive 'Disable every enabled user with no login for DURATION (90d, 45d), or never logged in and created longer ago (by the database''s clock); asks first (--yes without a terminal)'
            cand --reason 'Why (recorded in the audit trail)'
            cand --exclude 'With --inactive: never disable this user (email, any letter case; repeat for more)'
            cand --role 'With --inactive: only users with this role (user, admin, premium; `user` includes a NULL role)'
            cand --batch-size 'With --inactive: accounts per transaction, fixed [default: adaptive, from 25 toward a 100 ms transaction]'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --allow-no-admin 'Allow this change even when the user is the last enabled admin (leaving no user with role admin who can log in)'
            cand --dry-run 'With --inactive: list who would be disabled; change nothing'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;users;enable'= {
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;users;reset-password'= {
            cand --password-file 'Read the password from the first line of this file'
            cand --password-env 'Read the password from this environment variable (its name, not the value)'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --password-stdin 'Read the password from the first line of stdin (piped: on a terminal it is refused, as typing would echo it — leave the flag out to be prompted)'
            cand --generate-password 'Generate a random password (24 characters) and print it once on stdout'
            cand --allow-weak-password 'Accept a password that fails the policy (too short, common, equal to the email)'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;users;delete'= {
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --allow-no-admin 'Allow this change even when the user is the last enabled admin (leaving no user with role admin who can log in)'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;users;import'= {
            cand --format 'The file''s format'
            cand --on-conflict 'A record whose email already exists (in the database or earlier in the file, any letter case): fail refuses it, skip leaves the existing user unchanged'
            cand --unverifiable-hash 'A record whose hash the application cannot verify, or with none: refuse it, or create the user disabled (no usable hash)'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --partial 'Write the good records even when others are refused (exit 1 then)'
            cand --dry-run 'Report what would be imported, skipped and refused; write nothing'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;users;export'= {
            cand --format 'The file''s format'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;users;help'= {
            cand create 'Create a user (password from a prompt, stdin, a file, an environment variable, or generated)'
            cand list 'List users by email: filter, page with --after, or stream every row with --all'
            cand show 'Show one user: its fields, password hash scheme, active sessions and tokens, recent audit events'
            cand update 'Change a user''s email address, name, role or email verification'
            cand disable 'Disable a user: no password verifies, refresh tokens revoked, login sessions deactivated'
            cand enable 'Enable a disabled user (the password it had works again)'
            cand reset-password 'Set a new password, revoke the user''s refresh tokens and deactivate its login sessions'
            cand delete 'Delete a user with its tokens, sessions and auth attempts (the audit trail keeps the history)'
            cand import 'Import users from another system''s file (Auth0, Kratos, Supabase, CSV) with their bcrypt hashes'
            cand export 'Export users with their bcrypt hashes to a file (Auth0, Kratos or CSV format)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;users;help;create'= {
        }
        &'authctl;users;help;list'= {
        }
        &'authctl;users;help;show'= {
        }
        &'authctl;users;help;update'= {
        }
        &'authctl;users;help;disable'= {
        }
        &'authctl;users;help;enable'= {
        }
        &'authctl;users;help;reset-password'= {
        }
        &'authctl;users;help;delete'= {
        }
        &'authctl;users;help;import'= {
        }
        &'authctl;users;help;export'= {
        }
        &'authctl;users;help;help'= {
        }
        &'authctl;sessions'= {
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List login sessions, newest expiry first (active ones unless --state says otherwise)'
            cand revoke 'Revoke login sessions: by id, by a leaked token on stdin, every active one of a user, or every active one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;sessions;list'= {
            cand --user 'Only those of this user (email or id)'
            cand --state 'Which states to show'
            cand --limit 'Show at most this many rows'
            cand --after 'Continue after this id (keyset pagination: pass the last id of the previous page)'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --all 'Show every row (streamed in pages; memory does not grow with the table)'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;sessions;revoke'= {
            cand --user 'Revoke every active one of this user (email or id)'
            cand --reason 'Why: recorded in the audit trail'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --all-active 'Revoke every active one of every user (asks first; --yes without a terminal)'
            cand --token-stdin 'Revoke what the token piped on stdin belongs to, whichever kind it is: a refresh token is revoked, a session token''s session deactivated (the same in `tokens revoke` and `sessions revoke`); at most 8 KiB, one trailing newline stripped, never echoed'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;sessions;help'= {
            cand list 'List login sessions, newest expiry first (active ones unless --state says otherwise)'
            cand revoke 'Revoke login sessions: by id, by a leaked token on stdin, every active one of a user, or every active one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;sessions;help;list'= {
        }
        &'authctl;sessions;help;revoke'= {
        }
        &'authctl;sessions;help;help'= {
        }
        &'authctl;tokens'= {
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List refresh tokens, newest expiry first (active ones unless --state says otherwise)'
            cand revoke 'Revoke refresh tokens: by id, by a leaked token on stdin, every active one of a user, or every active one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;tokens;list'= {
            cand --user 'Only those of this user (email or id)'
            cand --state 'Which states to show'
            cand --limit 'Show at most this many rows'
            cand --after 'Continue after this id (keyset pagination: pass the last id of the previous page)'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --all 'Show every row (streamed in pages; memory does not grow with the table)'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;tokens;revoke'= {
            cand --user 'Revoke every active one of this user (email or id)'
            cand --reason 'Why: recorded in the audit trail'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --all-active 'Revoke every active one of every user (asks first; --yes without a terminal)'
            cand --token-stdin 'Revoke what the token piped on stdin belongs to, whichever kind it is: a refresh token is revoked, a session token''s session deactivated (the same in `tokens revoke` and `sessions revoke`); at most 8 KiB, one trailing newline stripped, never echoed'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;tokens;help'= {
            cand list 'List refresh tokens, newest expiry first (active ones unless --state says otherwise)'
            cand revoke 'Revoke refresh tokens: by id, by a leaked token on stdin, every active one of a user, or every active one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;tokens;help;list'= {
        }
        &'authctl;tokens;help;revoke'= {
        }
        &'authctl;tokens;help;help'= {
        }
        &'authctl;audit'= {
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List audit events, newest first'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;audit;list'= {
            cand --user 'Only events about this user: an email address (also finds the history of a deleted user, and of an existing user under that address) or a user id (uuid)'
            cand --action 'Only events with this action'
            cand --since 'Only events since this long ago (15m, 24h, 7d) or this time (RFC 3339 or a date)'
            cand --limit 'Show at most this many events'
            cand --before 'Show events older than this id (keyset pagination: the last id of the previous page)'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;audit;help'= {
            cand list 'List audit events, newest first'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;audit;help;list'= {
        }
        &'authctl;audit;help;help'= {
        }
        &'authctl;attempts'= {
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List authentication attempts, newest first'
            cand top 'Failed attempts grouped by IP, email or user, largest groups first'
            cand blocked 'IPs the application''s rate limit blocks now, and until when'
            cand check 'Answer what the application''s check_rate_limit answers for an IP: exit 0 allowed, 1 blocked'
            cand clear 'Let an IP (or an email) back in: delete the failed attempts that count against it (asks first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;attempts;list'= {
            cand --email 'Only attempts with this email, in any case (the application records it as typed)'
            cand --ip 'Only attempts from this address, or from a network (CIDR, IPv4 or IPv6: 10.0.0.0/8, 2001:db8::/32)'
            cand --user 'Only attempts of this user (email or id)'
            cand --type 'Only attempts of this type'
            cand --since 'Only attempts since this long ago (15m, 24h, 7d) or this time (RFC 3339 or a date)'
            cand --until 'Only attempts before this long ago or this time'
            cand --limit 'Show at most this many rows'
            cand --after 'Continue after this attempt (keyset pagination: pass the last id of the previous page)'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --failed 'Only failed attempts'
            cand --succeeded 'Only successful attempts'
            cand --all 'Show every matching row (streamed in pages; memory does not grow with the table)'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;attempts;top'= {
            cand --by 'Group by'
            cand --since 'Failed attempts since this long ago (15m, 1h, 24h) or this time'
            cand --limit 'Show at most this many groups'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;attempts;blocked'= {
            cand --window 'The rate-limit window: whole minutes from 1m to 1d [default: 15m, the application''s]'
            cand --max 'Failed attempts within the window that block an IP: 1 to 1000 [default: 5, the application''s]'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;attempts;check'= {
            cand --ip 'The address to check (IPv4 or IPv6)'
            cand --window 'The rate-limit window: whole minutes from 1m to 1d [default: 15m, the application''s]'
            cand --max 'Failed attempts within the window that block an IP: 1 to 1000 [default: 5, the application''s]'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;attempts;clear'= {
            cand --ip 'Delete the failed attempts from this address within the window'
            cand --email 'Delete the failed attempts with this email (in any case) within the window'
            cand --window 'The rate-limit window: whole minutes from 1m to 1d [default: 15m, the application''s]'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;attempts;help'= {
            cand list 'List authentication attempts, newest first'
            cand top 'Failed attempts grouped by IP, email or user, largest groups first'
            cand blocked 'IPs the application''s rate limit blocks now, and until when'
            cand check 'Answer what the application''s check_rate_limit answers for an IP: exit 0 allowed, 1 blocked'
            cand clear 'Let an IP (or an email) back in: delete the failed attempts that count against it (asks first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;attempts;help;list'= {
        }
        &'authctl;attempts;help;top'= {
        }
        &'authctl;attempts;help;blocked'= {
        }
        &'authctl;attempts;help;check'= {
        }
        &'authctl;attempts;help;clear'= {
        }
        &'authctl;attempts;help;help'= {
        }
        &'authctl;stats'= {
            cand --window 'Rate-limit window for the blocked-IP count: whole minutes from 1m to 1d [default: 15m, the application''s]'
            cand --max 'Failed attempts within the window that block an IP: 1 to 1000 [default: 5, the application''s]'
            cand --textfile 'Write the Prometheus text to PATH atomically (temp file + fsync + rename, mode 0644); prints nothing on stdout, in any format'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --prometheus 'Print the Prometheus text exposition format (same as `-o prometheus`)'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;purge-expired'= {
            cand --grace 'Keep rows that expired less than this long ago (e.g. 1h)'
            cand --revoked-retention 'Delete revoked refresh tokens once revoked this long ago (the application''s 7 days)'
            cand --inactive-retention 'Delete inactive sessions idle this long (the application''s 30 days)'
            cand --attempts-retention 'Delete auth attempts older than this (the application''s 30 days)'
            cand --audit-retention 'Also delete audit events older than this (kept forever without it)'
            cand --only 'Only these tables (repeat or comma-separate)'
            cand --batch-size 'Rows per batch; fixed when given, otherwise adapted toward a 100 ms transaction'
            cand --max-rows 'Stop after deleting this many rows in this run (exit 0; the tables it did not finish are reported incomplete and do not count as purged in `stats`)'
            cand --sleep 'Pause after each batch that deleted rows (e.g. 50ms) to leave room for the application'
            cand --wait 'Wait for another purge to finish (up to DURATION, default 5m) instead of exiting 75'
            cand --strategy 'PostgreSQL: how to walk the tables'
            cand --statement-timeout 'PostgreSQL: abort and retry (smaller) a batch running longer than this'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --allow-short-audit-retention 'Accept an --audit-retention shorter than 30 days'
            cand --dry-run 'Count what would be deleted; delete nothing'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;migrate'= {
            cand --lock-wait 'How long migrate waits for another runner''s lock [env: AUTHCTL_MIGRATE_LOCK_WAIT] [default: 2m]'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --check 'Apply nothing; exit 1 when migrations are pending'
            cand --dry-run 'List what migrate would do with each pending step (adopt, create or apply); apply nothing'
            cand --check-production 'Check production readiness first (backend, JWT secrets, database password, TLS, reachability, migration integrity); refuse with every problem listed. With --dry-run or --check only the checks run'
            cand --strict 'With --check-production: warnings (e.g. no TLS to a remote host) fail too'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'Show applied and pending migrations'
            cand revert 'Revert the newest applied migrations: authctl''s own first (the audit trail), then application steps authctl created — those only with --destroy-data; steps the application ran are never reverted'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;migrate;status'= {
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;migrate;revert'= {
            cand --steps 'How many migrations to revert'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --all 'Revert every applied migration'
            cand --destroy-data 'Allow reverting application steps authctl created: drops the application''s tables (users, tokens, sessions …) with all their rows'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;migrate;help'= {
            cand status 'Show applied and pending migrations'
            cand revert 'Revert the newest applied migrations: authctl''s own first (the audit trail), then application steps authctl created — those only with --destroy-data; steps the application ran are never reverted'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;migrate;help;status'= {
        }
        &'authctl;migrate;help;revert'= {
        }
        &'authctl;migrate;help;help'= {
        }
        &'authctl;export'= {
            cand --only 'Only these tables (comma-separated or repeated; default: all)'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --exclude-secrets 'Leave out the bearer secrets (refresh tokens, session tokens, password-reset tokens): such a file restores users and their passwords, and every user logs in again'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;import'= {
            cand --on-conflict 'What to do with a record already in the database'
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand --dry-run 'Verify the file and report what would be inserted, updated, skipped and refused; write nothing (exit 65 when something would be refused, as the import would)'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;config'= {
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;completions'= {
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;man'= {
            cand --database-url 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]'
            cand --env-file 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]'
            cand --connect-timeout 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]'
            cand -o 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --output 'Output format: table, json or csv (and prometheus, only for `authctl stats`)'
            cand --color 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)'
            cand --actor 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]'
            cand -q 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand --quiet 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
            cand -v 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand --verbose 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement''s duration'
            cand -y 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand --yes 'Answer yes to confirmations (required for destructive commands without a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'authctl;help'= {
            cand users 'Create, find, change, disable, enable, reset and delete users'
            cand sessions 'List and revoke login sessions'
            cand tokens 'List and revoke refresh tokens'
            cand audit 'Read the audit trail'
            cand attempts 'Watch failed logins and operate the application''s IP rate limit'
            cand stats 'One snapshot of the auth system''s health (table, JSON or Prometheus)'
            cand purge-expired 'Delete what the application''s cleanup deletes, in short batches (for cron)'
            cand migrate 'Apply, check, list or revert schema migrations'
            cand export 'Export the auth data to one verified file or stdout (it holds bearer secrets)'
            cand import 'Import an export: verified whole first, then written in one transaction'
            cand config 'Show the resolved configuration and where each value came from'
            cand completions 'Print shell completions (bash, zsh, fish, elvish, powershell)'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'authctl;help;users'= {
            cand create 'Create a user (password from a prompt, stdin, a file, an environment variable, or generated)'
            cand list 'List users by email: filter, page with --after, or stream every row with --all'
            cand show 'Show one user: its fields, password hash scheme, active sessions and tokens, recent audit events'
            cand update 'Change a user''s email address, name, role or email verification'
            cand disable 'Disable a user: no password verifies, refresh tokens revoked, login sessions deactivated'
            cand enable 'Enable a disabled user (the password it had works again)'
            cand reset-password 'Set a new password, revoke the user''s refresh tokens and deactivate its login sessions'
            cand delete 'Delete a user with its tokens, sessions and auth attempts (the audit trail keeps the history)'
            cand import 'Import users from another system''s file (Auth0, Kratos, Supabase, CSV) with their bcrypt hashes'
            cand export 'Export users with their bcrypt hashes to a file (Auth0, Kratos or CSV format)'
        }
        &'authctl;help;users;create'= {
        }
        &'authctl;help;users;list'= {
        }
        &'authctl;help;users;show'= {
        }
        &'authctl;help;users;update'= {
        }
        &'authctl;help;users;disable'= {
        }
        &'authctl;help;users;enable'= {
        }
        &'authctl;help;users;reset-password'= {
        }
        &'authctl;help;users;delete'= {
        }
        &'authctl;help;users;import'= {
        }
        &'authctl;help;users;export'= {
        }
        &'authctl;help;sessions'= {
            cand list 'List login sessions, newest expiry first (active ones unless --state says otherwise)'
            cand revoke 'Revoke login sessions: by id, by a leaked token on stdin, every active one of a user, or every active one'
        }
        &'authctl;help;sessions;list'= {
        }
        &'authctl;help;sessions;revoke'= {
        }
        &'authctl;help;tokens'= {
            cand list 'List refresh tokens, newest expiry first (active ones unless --state says otherwise)'
            cand revoke 'Revoke refresh tokens: by id, by a leaked token on stdin, every active one of a user, or every active one'
        }
        &'authctl;help;tokens;list'= {
        }
        &'authctl;help;tokens;revoke'= {
        }
        &'authctl;help;audit'= {
            cand list 'List audit events, newest first'
        }
        &'authctl;help;audit;list'= {
        }
        &'authctl;help;attempts'= {
            cand list 'List authentication attempts, newest first'
            cand top 'Failed attempts grouped by IP, email or user, largest groups first'
            cand blocked 'IPs the application''s rate limit blocks now, and until when'
            cand check 'Answer what the application''s check_rate_limit answers for an IP: exit 0 allowed, 1 blocked'
            cand clear 'Let an IP (or an email) back in: delete the failed attempts that count against it (asks first)'
        }
        &'authctl;help;attempts;list'= {
        }
        &'authctl;help;attempts;top'= {
        }
        &'authctl;help;attempts;blocked'= {
        }
        &'authctl;help;attempts;check'= {
        }
        &'authctl;help;attempts;clear'= {
        }
        &'authctl;help;stats'= {
        }
        &'authctl;help;purge-expired'= {
        }
        &'authctl;help;migrate'= {
            cand status 'Show applied and pending migrations'
            cand revert 'Revert the newest applied migrations: authctl''s own first (the audit trail), then application steps authctl created — those only with --destroy-data; steps the application ran are never reverted'
        }
        &'authctl;help;migrate;status'= {
        }
        &'authctl;help;migrate;revert'= {
        }
        &'authctl;help;export'= {
        }
        &'authctl;help;import'= {
        }
        &'authctl;help;config'= {
        }
        &'authctl;help;completions'= {
        }
        &'authctl;help;man'= {
        }
        &'authctl;help;help'= {
        }
    ]
    $completions[$command]
}
