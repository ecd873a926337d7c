# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_authctl_global_optspecs
    string join \n database-url= env-file= connect-timeout= o/output= q/quiet v/verbose y/yes color= actor= h/help V/version
end

function __fish_authctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_authctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_authctl_using_subcommand
    set -l cmd (__fish_authctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c authctl -n "__fish_authctl_needs_command" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_needs_command" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_needs_command" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_needs_command" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_needs_command" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_needs_command" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_needs_command" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_needs_command" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_needs_command" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_needs_command" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "users" -d 'Create, find, change, disable, enable, reset and delete users'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "sessions" -d 'List and revoke login sessions'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "tokens" -d 'List and revoke refresh tokens'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "audit" -d 'Read the audit trail'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "attempts" -d 'Watch failed logins and operate the application\'s IP rate limit'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "stats" -d 'One snapshot of the auth system\'s health (table, JSON or Prometheus)'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "purge-expired" -d 'Delete what the application\'s cleanup deletes, in short batches (for cron)'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "migrate" -d 'Apply, check, list or revert schema migrations'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "export" -d 'Export the auth data to one verified file or stdout (it holds bearer secrets)'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "import" -d 'Import an export: verified whole first, then written in one transaction'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "config" -d 'Show the resolved configuration and where each value came from'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, elvish, powershell)'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -f -a "create" -d 'Create a user (password from a prompt, stdin, a file, an environment variable, or generated)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -f -a "list" -d 'List users by email: filter, page with --after, or stream every row with --all'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -f -a "show" -d 'Show one user: its fields, password hash scheme, active sessions and tokens, recent audit events'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -f -a "update" -d 'Change a user\'s email address, name, role or email verification'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -f -a "disable" -d 'Disable a user: no password verifies, refresh tokens revoked, login sessions deactivated'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -f -a "enable" -d 'Enable a disabled user (the password it had works again)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -f -a "reset-password" -d 'Set a new password, revoke the user\'s refresh tokens and deactivate its login sessions'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -f -a "delete" -d 'Delete a user with its tokens, sessions and auth attempts (the audit trail keeps the history)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -f -a "import" -d 'Import users from another system\'s file (Auth0, Kratos, Supabase, CSV) with their bcrypt hashes'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -f -a "export" -d 'Export users with their bcrypt hashes to a file (Auth0, Kratos or CSV format)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable reset-password delete import export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l name -d 'Name (the application\'s `name` column)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l role -d 'Role: user, admin or premium [default: user]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l password-file -d 'Read the password from the first line of this file' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l password-env -d 'Read the password from this environment variable (its name, not the value)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l verified -d 'Mark the email address verified now (default: not verified)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l if-not-exists -d 'When the email already exists, change nothing, read no password, and exit 0 (with a warning naming the fields where the existing user differs)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l strict -d 'With --if-not-exists: when the existing user differs from the request (role, or the name or verification given), exit 65 instead of warning'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l password-stdin -d 'Read the password from the first line of stdin (piped: on a terminal it is refused, as typing would echo it — leave the flag out to be prompted)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l generate-password -d 'Generate a random password (24 characters) and print it once on stdout'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l allow-weak-password -d 'Accept a password that fails the policy (too short, common, equal to the email)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l role -d 'Only users with this role (user, admin, premium; `user` includes a NULL role)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l status -d 'Only users in this state' -r -f -a "active\t'The stored hash can verify a password: the user can log in'
disabled\t'The stored hash is disabled: the application refuses every login'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l search -d 'Only users whose email or name contains TEXT (any letter case)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l created-since -d 'Only users created at or after this time (RFC 3339 or YYYY-MM-DD), or within this duration (24h, 7d)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l inactive -d 'Only dormant users: no login for DURATION (90d, 45d), or never logged in and created longer ago (by the database\'s clock)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l after -d 'Continue after this email (keyset pagination: pass the last email of the previous page)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l limit -d 'Show at most this many rows' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l all -d 'Show every row (streamed in pages; memory does not grow with the table)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l email -d 'New email address' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l name -d 'New name' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l role -d 'New role: user, admin or premium' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l clear-name -d 'Remove the name'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l verified -d 'Mark the email address verified (now)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l unverified -d 'Mark the email address not verified'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l allow-no-admin -d 'Allow this change even when the user is the last enabled admin (leaving no user with role admin who can log in)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l inactive -d 'Disable every enabled user with no login for DURATION (90d, 45d), or never logged in and created longer ago (by the database\'s clock); asks first (--yes without a terminal)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l reason -d 'Why (recorded in the audit trail)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l exclude -d 'With --inactive: never disable this user (email, any letter case; repeat for more)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l role -d 'With --inactive: only users with this role (user, admin, premium; `user` includes a NULL role)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l batch-size -d 'With --inactive: accounts per transaction, fixed [default: adaptive, from 25 toward a 100 ms transaction]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l allow-no-admin -d 'Allow this change even when the user is the last enabled admin (leaving no user with role admin who can log in)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l dry-run -d 'With --inactive: list who would be disabled; change nothing'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l password-file -d 'Read the password from the first line of this file' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l password-env -d 'Read the password from this environment variable (its name, not the value)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l password-stdin -d 'Read the password from the first line of stdin (piped: on a terminal it is refused, as typing would echo it — leave the flag out to be prompted)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l generate-password -d 'Generate a random password (24 characters) and print it once on stdout'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l allow-weak-password -d 'Accept a password that fails the policy (too short, common, equal to the email)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -l allow-no-admin -d 'Allow this change even when the user is the last enabled admin (leaving no user with role admin who can log in)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -l format -d 'The file\'s format' -r -f -a "auth0\t'Auth0 bulk user import: a JSON array of users'
kratos\t'Ory Kratos identities: a JSON array (or one identity object)'
supabase\t'Supabase (GoTrue) `auth.users` rows as JSON (array) or CSV with a header (import only)'
csv\t'authctl\'s CSV: a header row, one user per line'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -l on-conflict -d 'A record whose email already exists (in the database or earlier in the file, any letter case): fail refuses it, skip leaves the existing user unchanged' -r -f -a "fail\t'Refuse the record (nothing is written without --partial)'
skip\t'Skip the record, leaving the existing user unchanged'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -l unverifiable-hash -d 'A record whose hash the application cannot verify, or with none: refuse it, or create the user disabled (no usable hash)' -r -f -a "refuse\t'Refuse the record'
disable\t'Create the user disabled, with no usable hash (it logs in after a password reset)'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -l partial -d 'Write the good records even when others are refused (exit 1 then)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -l dry-run -d 'Report what would be imported, skipped and refused; write nothing'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from export" -l format -d 'The file\'s format' -r -f -a "auth0\t'Auth0 bulk user import: a JSON array of users'
kratos\t'Ory Kratos identities: a JSON array'
csv\t'authctl\'s CSV: a header row, one user per line'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from export" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from export" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from export" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from export" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from export" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from export" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from export" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a user (password from a prompt, stdin, a file, an environment variable, or generated)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "list" -d 'List users by email: filter, page with --after, or stream every row with --all'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one user: its fields, password hash scheme, active sessions and tokens, recent audit events'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a user\'s email address, name, role or email verification'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable a user: no password verifies, refresh tokens revoked, login sessions deactivated'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Enable a disabled user (the password it had works again)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "reset-password" -d 'Set a new password, revoke the user\'s refresh tokens and deactivate its login sessions'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a user with its tokens, sessions and auth attempts (the audit trail keeps the history)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "import" -d 'Import users from another system\'s file (Auth0, Kratos, Supabase, CSV) with their bcrypt hashes'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "export" -d 'Export users with their bcrypt hashes to a file (Auth0, Kratos or CSV format)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -f -a "list" -d 'List login sessions, newest expiry first (active ones unless --state says otherwise)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -f -a "revoke" -d 'Revoke login sessions: by id, by a leaked token on stdin, every active one of a user, or every active one'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l user -d 'Only those of this user (email or id)' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l state -d 'Which states to show' -r -f -a "active\t'Usable: not revoked and not expired'
expired\t'Past its expiry and never revoked'
revoked\t'Revoked or invalidated (whether or not it has expired since)'
all\t'Every state'"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l limit -d 'Show at most this many rows' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l after -d 'Continue after this id (keyset pagination: pass the last id of the previous page)' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l all -d 'Show every row (streamed in pages; memory does not grow with the table)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l user -d 'Revoke every active one of this user (email or id)' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l reason -d 'Why: recorded in the audit trail' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l all-active -d 'Revoke every active one of every user (asks first; --yes without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l token-stdin -d 'Revoke what the token piped on stdin belongs to, whichever kind it is: a refresh token is revoked, a session token\'s session deactivated (the same in `tokens revoke` and `sessions revoke`); at most 8 KiB, one trailing newline stripped, never echoed'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "list" -d 'List login sessions, newest expiry first (active ones unless --state says otherwise)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke login sessions: by id, by a leaked token on stdin, every active one of a user, or every active one'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -f -a "list" -d 'List refresh tokens, newest expiry first (active ones unless --state says otherwise)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -f -a "revoke" -d 'Revoke refresh tokens: by id, by a leaked token on stdin, every active one of a user, or every active one'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l user -d 'Only those of this user (email or id)' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l state -d 'Which states to show' -r -f -a "active\t'Usable: not revoked and not expired'
expired\t'Past its expiry and never revoked'
revoked\t'Revoked or invalidated (whether or not it has expired since)'
all\t'Every state'"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l limit -d 'Show at most this many rows' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l after -d 'Continue after this id (keyset pagination: pass the last id of the previous page)' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l all -d 'Show every row (streamed in pages; memory does not grow with the table)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l user -d 'Revoke every active one of this user (email or id)' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l reason -d 'Why: recorded in the audit trail' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l all-active -d 'Revoke every active one of every user (asks first; --yes without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l token-stdin -d 'Revoke what the token piped on stdin belongs to, whichever kind it is: a refresh token is revoked, a session token\'s session deactivated (the same in `tokens revoke` and `sessions revoke`); at most 8 KiB, one trailing newline stripped, never echoed'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from help" -f -a "list" -d 'List refresh tokens, newest expiry first (active ones unless --state says otherwise)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke refresh tokens: by id, by a leaked token on stdin, every active one of a user, or every active one'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -f -a "list" -d 'List audit events, newest first'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l user -d 'Only events about this user: an email address (also finds the history of a deleted user, and of an existing user under that address) or a user id (uuid)' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l action -d 'Only events with this action' -r -f -a "user.create\t''
user.update\t''
user.disable\t''
user.enable\t''
user.reset_password\t''
user.delete\t''
session.revoke\t''
token.revoke\t''
audit.purge\t''
attempts.clear\t''
data.import\t''"
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l since -d 'Only events since this long ago (15m, 24h, 7d) or this time (RFC 3339 or a date)' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l limit -d 'Show at most this many events' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l before -d 'Show events older than this id (keyset pagination: the last id of the previous page)' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "list" -d 'List audit events, newest first'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -f -a "list" -d 'List authentication attempts, newest first'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -f -a "top" -d 'Failed attempts grouped by IP, email or user, largest groups first'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -f -a "blocked" -d 'IPs the application\'s rate limit blocks now, and until when'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -f -a "check" -d 'Answer what the application\'s check_rate_limit answers for an IP: exit 0 allowed, 1 blocked'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -f -a "clear" -d 'Let an IP (or an email) back in: delete the failed attempts that count against it (asks first)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and not __fish_seen_subcommand_from list top blocked check clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l email -d 'Only attempts with this email, in any case (the application records it as typed)' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l ip -d 'Only attempts from this address, or from a network (CIDR, IPv4 or IPv6: 10.0.0.0/8, 2001:db8::/32)' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l user -d 'Only attempts of this user (email or id)' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l type -d 'Only attempts of this type' -r -f -a "login\t''
register\t''
reset_password\t''
verify_email\t''"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l since -d 'Only attempts since this long ago (15m, 24h, 7d) or this time (RFC 3339 or a date)' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l until -d 'Only attempts before this long ago or this time' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l limit -d 'Show at most this many rows' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l after -d 'Continue after this attempt (keyset pagination: pass the last id of the previous page)' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l failed -d 'Only failed attempts'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l succeeded -d 'Only successful attempts'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -l all -d 'Show every matching row (streamed in pages; memory does not grow with the table)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -l by -d 'Group by' -r -f -a "ip\t'Per IP address, with the distinct emails it tried'
email\t'Per email, with the distinct IPs it was tried from'
user\t'Per known user, with the distinct IPs'"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -l since -d 'Failed attempts since this long ago (15m, 1h, 24h) or this time' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -l limit -d 'Show at most this many groups' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from top" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from blocked" -l window -d 'The rate-limit window: whole minutes from 1m to 1d [default: 15m, the application\'s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from blocked" -l max -d 'Failed attempts within the window that block an IP: 1 to 1000 [default: 5, the application\'s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from blocked" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from blocked" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from blocked" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from blocked" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from blocked" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from blocked" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from blocked" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from blocked" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from blocked" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from blocked" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from blocked" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -l ip -d 'The address to check (IPv4 or IPv6)' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -l window -d 'The rate-limit window: whole minutes from 1m to 1d [default: 15m, the application\'s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -l max -d 'Failed attempts within the window that block an IP: 1 to 1000 [default: 5, the application\'s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -l ip -d 'Delete the failed attempts from this address within the window' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -l email -d 'Delete the failed attempts with this email (in any case) within the window' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -l window -d 'The rate-limit window: whole minutes from 1m to 1d [default: 15m, the application\'s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from clear" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from help" -f -a "list" -d 'List authentication attempts, newest first'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from help" -f -a "top" -d 'Failed attempts grouped by IP, email or user, largest groups first'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from help" -f -a "blocked" -d 'IPs the application\'s rate limit blocks now, and until when'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from help" -f -a "check" -d 'Answer what the application\'s check_rate_limit answers for an IP: exit 0 allowed, 1 blocked'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Let an IP (or an email) back in: delete the failed attempts that count against it (asks first)'
complete -c authctl -n "__fish_authctl_using_subcommand attempts; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand stats" -l window -d 'Rate-limit window for the blocked-IP count: whole minutes from 1m to 1d [default: 15m, the application\'s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand stats" -l max -d 'Failed attempts within the window that block an IP: 1 to 1000 [default: 5, the application\'s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand stats" -l textfile -d 'Write the Prometheus text to PATH atomically (temp file + fsync + rename, mode 0644); prints nothing on stdout, in any format' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand stats" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand stats" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand stats" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand stats" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand stats" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand stats" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand stats" -l prometheus -d 'Print the Prometheus text exposition format (same as `-o prometheus`)'
complete -c authctl -n "__fish_authctl_using_subcommand stats" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand stats" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand stats" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand stats" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l grace -d 'Keep rows that expired less than this long ago (e.g. 1h)' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l revoked-retention -d 'Delete revoked refresh tokens once revoked this long ago (the application\'s 7 days)' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l inactive-retention -d 'Delete inactive sessions idle this long (the application\'s 30 days)' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l attempts-retention -d 'Delete auth attempts older than this (the application\'s 30 days)' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l audit-retention -d 'Also delete audit events older than this (kept forever without it)' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l only -d 'Only these tables (repeat or comma-separate)' -r -f -a "tokens\t''
sessions\t''
attempts\t''
audit\t''"
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l batch-size -d 'Rows per batch; fixed when given, otherwise adapted toward a 100 ms transaction' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l max-rows -d 'Stop after deleting this many rows in this run (exit 0; the tables it did not finish are reported incomplete and do not count as purged in `stats`)' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l sleep -d 'Pause after each batch that deleted rows (e.g. 50ms) to leave room for the application' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l wait -d 'Wait for another purge to finish (up to DURATION, default 5m) instead of exiting 75' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l strategy -d 'PostgreSQL: how to walk the tables' -r -f -a "auto\t'Sweep when at least 10% of a large table is purgeable, else keyset'
keyset\t'Index order, continuing after the last key deleted'
sweep\t'Heap block ranges (PostgreSQL ≥ 14)'"
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l statement-timeout -d 'PostgreSQL: abort and retry (smaller) a batch running longer than this' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l allow-short-audit-retention -d 'Accept an --audit-retention shorter than 30 days'
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l dry-run -d 'Count what would be deleted; delete nothing'
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l lock-wait -d 'How long migrate waits for another runner\'s lock [env: AUTHCTL_MIGRATE_LOCK_WAIT] [default: 2m]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l check -d 'Apply nothing; exit 1 when migrations are pending'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l dry-run -d 'List what migrate would do with each pending step (adopt, create or apply); apply nothing'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l check-production -d 'Check production readiness first (backend, JWT secrets, database password, TLS, reachability, migration integrity); refuse with every problem listed. With --dry-run or --check only the checks run'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l strict -d 'With --check-production: warnings (e.g. no TLS to a remote host) fail too'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -f -a "status" -d 'Show applied and pending migrations'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -f -a "revert" -d 'Revert the newest applied migrations: authctl\'s own first (the audit trail), then application steps authctl created — those only with --destroy-data; steps the application ran are never reverted'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l steps -d 'How many migrations to revert' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l all -d 'Revert every applied migration'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l destroy-data -d 'Allow reverting application steps authctl created: drops the application\'s tables (users, tokens, sessions …) with all their rows'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show applied and pending migrations'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "revert" -d 'Revert the newest applied migrations: authctl\'s own first (the audit trail), then application steps authctl created — those only with --destroy-data; steps the application ran are never reverted'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand export" -l only -d 'Only these tables (comma-separated or repeated; default: all)' -r -f -a "users\t''
auth_attempts\t''
refresh_tokens\t''
login_sessions\t''
authctl_audit_events\t''"
complete -c authctl -n "__fish_authctl_using_subcommand export" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand export" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand export" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand export" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand export" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand export" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand export" -l exclude-secrets -d 'Leave out the bearer secrets (refresh tokens, session tokens, password-reset tokens): such a file restores users and their passwords, and every user logs in again'
complete -c authctl -n "__fish_authctl_using_subcommand export" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand export" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand export" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand export" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand import" -l on-conflict -d 'What to do with a record already in the database' -r -f -a "fail\t'Refuse the whole import when any record\'s id, or a user\'s e-mail in any letter case, is already there'
skip\t'Keep the rows already there; leave those records (and a skipped user\'s tokens, sessions, attempts, events) out'
update\t'Overwrite the rows with the same id; a user whose e-mail belongs to another id is refused'"
complete -c authctl -n "__fish_authctl_using_subcommand import" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand import" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand import" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand import" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand import" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand import" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand import" -l dry-run -d 'Verify the file and report what would be inserted, updated, skipped and refused; write nothing (exit 65 when something would be refused, as the import would)'
complete -c authctl -n "__fish_authctl_using_subcommand import" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand import" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand import" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand import" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand config" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand config" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand config" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand config" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand config" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand config" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand config" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand config" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand config" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand config" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand completions" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand completions" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand completions" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand completions" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand completions" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand completions" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand completions" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand completions" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand completions" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand man" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand man" -l env-file -d 'Read variables from this .env file (it must exist) [env: AUTHCTL_ENV_FILE] [default: ./.env when present]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand man" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long [env: AUTHCTL_CONNECT_TIMEOUT] [default: 5s]' -r
complete -c authctl -n "__fish_authctl_using_subcommand man" -s o -l output -d 'Output format: table, json or csv (and prometheus, only for `authctl stats`)' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'
prometheus\t'Prometheus text exposition format (only `authctl stats`)'"
complete -c authctl -n "__fish_authctl_using_subcommand man" -l color -d 'Colour table headers, state columns and the error/warning prefix (auto: only on a terminal, and not when NO_COLOR is set)' -r -f -a "auto\t'Colour a stream only when it is a terminal and NO_COLOR is unset or empty'
always\t'Always colour (even into a pipe or file)'
never\t'Never colour'"
complete -c authctl -n "__fish_authctl_using_subcommand man" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: $USER@hostname]' -r
complete -c authctl -n "__fish_authctl_using_subcommand man" -s q -l quiet -d 'Print nothing on success, in every format (errors still go to stderr; a generated password is still printed)'
complete -c authctl -n "__fish_authctl_using_subcommand man" -s v -l verbose -d 'Diagnostics on stderr: -v the database (password redacted), connect and total time; -vv also each SQL statement (never its values) and transaction; -vvv also each statement\'s duration'
complete -c authctl -n "__fish_authctl_using_subcommand man" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand man" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "users" -d 'Create, find, change, disable, enable, reset and delete users'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "sessions" -d 'List and revoke login sessions'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "tokens" -d 'List and revoke refresh tokens'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "audit" -d 'Read the audit trail'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "attempts" -d 'Watch failed logins and operate the application\'s IP rate limit'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "stats" -d 'One snapshot of the auth system\'s health (table, JSON or Prometheus)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "purge-expired" -d 'Delete what the application\'s cleanup deletes, in short batches (for cron)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "migrate" -d 'Apply, check, list or revert schema migrations'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "export" -d 'Export the auth data to one verified file or stdout (it holds bearer secrets)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "import" -d 'Import an export: verified whole first, then written in one transaction'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "config" -d 'Show the resolved configuration and where each value came from'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, elvish, powershell)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "man" -d 'Print the man page (roff)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit attempts stats purge-expired migrate export import config completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "create" -d 'Create a user (password from a prompt, stdin, a file, an environment variable, or generated)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "list" -d 'List users by email: filter, page with --after, or stream every row with --all'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "show" -d 'Show one user: its fields, password hash scheme, active sessions and tokens, recent audit events'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "update" -d 'Change a user\'s email address, name, role or email verification'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "disable" -d 'Disable a user: no password verifies, refresh tokens revoked, login sessions deactivated'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "enable" -d 'Enable a disabled user (the password it had works again)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "reset-password" -d 'Set a new password, revoke the user\'s refresh tokens and deactivate its login sessions'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "delete" -d 'Delete a user with its tokens, sessions and auth attempts (the audit trail keeps the history)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "import" -d 'Import users from another system\'s file (Auth0, Kratos, Supabase, CSV) with their bcrypt hashes'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "export" -d 'Export users with their bcrypt hashes to a file (Auth0, Kratos or CSV format)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "list" -d 'List login sessions, newest expiry first (active ones unless --state says otherwise)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "revoke" -d 'Revoke login sessions: by id, by a leaked token on stdin, every active one of a user, or every active one'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from tokens" -f -a "list" -d 'List refresh tokens, newest expiry first (active ones unless --state says otherwise)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from tokens" -f -a "revoke" -d 'Revoke refresh tokens: by id, by a leaked token on stdin, every active one of a user, or every active one'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "list" -d 'List audit events, newest first'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from attempts" -f -a "list" -d 'List authentication attempts, newest first'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from attempts" -f -a "top" -d 'Failed attempts grouped by IP, email or user, largest groups first'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from attempts" -f -a "blocked" -d 'IPs the application\'s rate limit blocks now, and until when'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from attempts" -f -a "check" -d 'Answer what the application\'s check_rate_limit answers for an IP: exit 0 allowed, 1 blocked'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from attempts" -f -a "clear" -d 'Let an IP (or an email) back in: delete the failed attempts that count against it (asks first)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "status" -d 'Show applied and pending migrations'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "revert" -d 'Revert the newest applied migrations: authctl\'s own first (the audit trail), then application steps authctl created — those only with --destroy-data; steps the application ran are never reverted'
