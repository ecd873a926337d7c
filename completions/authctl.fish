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
complete -c authctl -n "__fish_authctl_needs_command" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_needs_command" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_needs_command" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_needs_command" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_needs_command" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_needs_command" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_needs_command" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_needs_command" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_needs_command" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "users" -d 'Create, find, change, disable, unlock, reset and delete users'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "sessions" -d 'List and revoke login sessions'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "tokens" -d 'List and revoke refresh tokens'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "audit" -d 'Read the audit trail'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "purge-expired" -d 'Delete expired and long-revoked tokens and sessions in short batches (for cron)'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "migrate" -d 'Apply, check, list or revert schema migrations'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "config" -d 'Show the resolved configuration and where each value came from'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, elvish, powershell)'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c authctl -n "__fish_authctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -f -a "create" -d 'Create a user (password from a prompt, stdin, a file, an environment variable, or generated)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -f -a "list" -d 'List users: filter, page with --after, or stream every row with --all'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -f -a "show" -d 'Show one user: every field, hash parameters, active sessions and tokens, recent audit events'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -f -a "update" -d 'Change a user\'s email address, display name or role'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -f -a "disable" -d 'Disable a user and revoke their active sessions and refresh tokens'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -f -a "enable" -d 'Enable a disabled user'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -f -a "unlock" -d 'Clear a user\'s failed login attempts and lockout'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -f -a "reset-password" -d 'Set a new password, clear the lockout, and revoke the user\'s sessions and tokens'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -f -a "delete" -d 'Delete a user with their sessions and tokens (the audit trail keeps the history)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and not __fish_seen_subcommand_from create list show update disable enable unlock reset-password delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l name -d 'Display name' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l role -d 'Role: 1 to 64 characters from a-z, 0-9, \'_\' and \'-\' [default: user]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l password-file -d 'Read the password from the first line of this file' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l password-env -d 'Read the password from this environment variable (its name, not the value)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l must-change-password -d 'Make the user choose a new password at the next login'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l if-not-exists -d 'When the email already exists, change nothing, read no password, and exit 0'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l password-stdin -d 'Read the password from the first line of stdin'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l generate-password -d 'Generate a random password (24 characters) and print it once on stdout'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -l allow-weak-password -d 'Accept a password that fails the policy (too short, common, equal to the email)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l role -d 'Only users with this role' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l status -d 'Only users in this state (disabled wins over locked)' -r -f -a "active\t''
disabled\t''
locked\t''"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l search -d 'Only users whose email or display name contains TEXT (any letter case)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l created-since -d 'Only users created at or after this time (RFC 3339 or YYYY-MM-DD), or within this duration (24h, 7d)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l limit -d 'Show at most this many rows' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l after -d 'Continue after this id (keyset pagination: pass the last id of the previous page)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -l all -d 'Show every row (streamed in pages; memory does not grow with the table)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l email -d 'New email address' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l name -d 'New display name' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l role -d 'New role: 1 to 64 characters from a-z, 0-9, \'_\' and \'-\'' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -l clear-name -d 'Remove the display name'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l reason -d 'Why (stored with the user, on the revoked sessions and tokens, and in the audit trail)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from enable" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from unlock" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from unlock" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from unlock" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from unlock" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from unlock" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from unlock" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from unlock" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from unlock" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from unlock" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from unlock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from unlock" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l password-file -d 'Read the password from the first line of this file' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l password-env -d 'Read the password from this environment variable (its name, not the value)' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l password-stdin -d 'Read the password from the first line of stdin'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l generate-password -d 'Generate a random password (24 characters) and print it once on stdout'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l allow-weak-password -d 'Accept a password that fails the policy (too short, common, equal to the email)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l no-must-change -d 'Do not require the user to change the password at the next login'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -l keep-sessions -d 'Keep the user\'s active sessions and refresh tokens'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from reset-password" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a user (password from a prompt, stdin, a file, an environment variable, or generated)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "list" -d 'List users: filter, page with --after, or stream every row with --all'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one user: every field, hash parameters, active sessions and tokens, recent audit events'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a user\'s email address, display name or role'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable a user and revoke their active sessions and refresh tokens'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Enable a disabled user'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "unlock" -d 'Clear a user\'s failed login attempts and lockout'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "reset-password" -d 'Set a new password, clear the lockout, and revoke the user\'s sessions and tokens'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a user with their sessions and tokens (the audit trail keeps the history)'
complete -c authctl -n "__fish_authctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -f -a "list" -d 'List login sessions in id order (active ones unless --state says otherwise)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -f -a "revoke" -d 'Revoke login sessions: by id, every active one of a user, or every active one'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and not __fish_seen_subcommand_from list revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l user -d 'Only those of this user (email or id)' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l state -d 'Which states to show' -r -f -a "active\t'Neither revoked nor expired'
expired\t'Past its expiry and never revoked'
revoked\t'Revoked (whether or not it has expired since)'
all\t'Every state'"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l limit -d 'Show at most this many rows' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l after -d 'Continue after this id (keyset pagination: pass the last id of the previous page)' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -l all -d 'Show every row (streamed in pages; memory does not grow with the table)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l user -d 'Revoke every active one of this user (email or id)' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l reason -d 'Why: stored with each revoked row and in the audit trail' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -l all -d 'Revoke every active one of every user (asks first; --yes without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "list" -d 'List login sessions in id order (active ones unless --state says otherwise)'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke login sessions: by id, every active one of a user, or every active one'
complete -c authctl -n "__fish_authctl_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -f -a "list" -d 'List refresh tokens in id order (active ones unless --state says otherwise)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -f -a "revoke" -d 'Revoke refresh tokens: by id, every active one of a user, or every active one'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and not __fish_seen_subcommand_from list revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l user -d 'Only those of this user (email or id)' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l state -d 'Which states to show' -r -f -a "active\t'Neither revoked nor expired'
expired\t'Past its expiry and never revoked'
revoked\t'Revoked (whether or not it has expired since)'
all\t'Every state'"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l limit -d 'Show at most this many rows' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l after -d 'Continue after this id (keyset pagination: pass the last id of the previous page)' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -l all -d 'Show every row (streamed in pages; memory does not grow with the table)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l user -d 'Revoke every active one of this user (email or id)' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l reason -d 'Why: stored with each revoked row and in the audit trail' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -l all -d 'Revoke every active one of every user (asks first; --yes without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from help" -f -a "list" -d 'List refresh tokens in id order (active ones unless --state says otherwise)'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke refresh tokens: by id, every active one of a user, or every active one'
complete -c authctl -n "__fish_authctl_using_subcommand tokens; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -f -a "list" -d 'List audit events, newest first'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and not __fish_seen_subcommand_from list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l user -d 'Only events about this user: the email of an existing user, or a user id' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l action -d 'Only events with this action (e.g. session.revoke, token.revoke)' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l since -d 'Only events since this long ago (15m, 24h, 7d) or this time (RFC 3339 or a date)' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l limit -d 'Show at most this many events' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l before -d 'Show events older than this id (keyset pagination: the last id of the previous page)' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "list" -d 'List audit events, newest first'
complete -c authctl -n "__fish_authctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l grace -d 'Keep rows that expired less than this long ago (e.g. 1h)' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l revoked-retention -d 'Delete revoked, unexpired rows once revoked this long ago' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l audit-retention -d 'Also delete audit events older than this (kept forever without it)' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l only -d 'Only these tables (repeat or comma-separate)' -r -f -a "tokens\t''
sessions\t''
audit\t''"
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l batch-size -d 'Rows per batch; fixed when given, otherwise adapted toward a 100 ms transaction' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l max-rows -d 'Stop after deleting this many rows in this run' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l sleep -d 'Pause between batches (e.g. 50ms) to leave room for the application' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l wait -d 'Wait for another purge to finish (up to DURATION, default 5m) instead of exiting 75' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l strategy -d 'PostgreSQL: how to walk the tables' -r -f -a "auto\t'Sweep when at least 10% of a large table is purgeable, else keyset'
keyset\t'Index order, continuing after the last key deleted'
sweep\t'Heap block ranges (PostgreSQL ≥ 14)'"
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l statement-timeout -d 'PostgreSQL: abort and retry (smaller) a batch running longer than this' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -l dry-run -d 'Count what would be deleted; delete nothing'
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand purge-expired" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l lock-wait -d 'How long to wait for another runner\'s migration lock [env: AUTHCTL_MIGRATE_LOCK_WAIT] [default: 2m]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l check -d 'Apply nothing; exit 1 when migrations are pending'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l dry-run -d 'List the migrations that would be applied; apply nothing'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l check-production -d 'Check production readiness first (backend, JWT secrets, database password, TLS, reachability, migration integrity); refuse with every problem listed. With --dry-run or --check only the checks run'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -l strict -d 'With --check-production: warnings (e.g. no TLS to a remote host) fail too'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -f -a "status" -d 'Show applied and pending migrations'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -f -a "revert" -d 'Revert the newest applied migrations (destroys their tables and data)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and not __fish_seen_subcommand_from status revert help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l steps -d 'How many migrations to revert' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -l all -d 'Revert every applied migration'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from revert" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show applied and pending migrations'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "revert" -d 'Revert the newest applied migrations (destroys their tables and data)'
complete -c authctl -n "__fish_authctl_using_subcommand migrate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand config" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand config" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand config" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand config" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand config" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand config" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand config" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand config" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand config" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand config" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand completions" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand completions" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand completions" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand completions" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand completions" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand completions" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand completions" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand completions" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand completions" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand man" -l database-url -d 'Database URL: postgres://…, postgresql://…, sqlite://PATH or a file path [env: DATABASE_URL] [default: SQLite at ~/.local/share/authctl/authctl.db]' -r
complete -c authctl -n "__fish_authctl_using_subcommand man" -l env-file -d 'Read variables from this .env file instead of ./.env [env: AUTHCTL_ENV_FILE]' -r -F
complete -c authctl -n "__fish_authctl_using_subcommand man" -l connect-timeout -d 'Give up connecting to PostgreSQL after this long (e.g. 5s) [env: AUTHCTL_CONNECT_TIMEOUT]' -r
complete -c authctl -n "__fish_authctl_using_subcommand man" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned table for people'
json\t'JSON (stable field names, RFC 3339 UTC times)'
csv\t'CSV with a header row'"
complete -c authctl -n "__fish_authctl_using_subcommand man" -l color -d 'When to use color' -r -f -a "auto\t'Color only when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c authctl -n "__fish_authctl_using_subcommand man" -l actor -d 'Who is acting, for the audit trail [env: AUTHCTL_ACTOR] [default: OS user@host]' -r
complete -c authctl -n "__fish_authctl_using_subcommand man" -s q -l quiet -d 'Print nothing on success (errors still go to stderr)'
complete -c authctl -n "__fish_authctl_using_subcommand man" -s v -l verbose -d 'Print more about what authctl does (repeat for more)'
complete -c authctl -n "__fish_authctl_using_subcommand man" -s y -l yes -d 'Answer yes to confirmations (required for destructive commands without a terminal)'
complete -c authctl -n "__fish_authctl_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c authctl -n "__fish_authctl_using_subcommand man" -s V -l version -d 'Print version'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit purge-expired migrate config completions man help" -f -a "users" -d 'Create, find, change, disable, unlock, reset and delete users'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit purge-expired migrate config completions man help" -f -a "sessions" -d 'List and revoke login sessions'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit purge-expired migrate config completions man help" -f -a "tokens" -d 'List and revoke refresh tokens'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit purge-expired migrate config completions man help" -f -a "audit" -d 'Read the audit trail'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit purge-expired migrate config completions man help" -f -a "purge-expired" -d 'Delete expired and long-revoked tokens and sessions in short batches (for cron)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit purge-expired migrate config completions man help" -f -a "migrate" -d 'Apply, check, list or revert schema migrations'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit purge-expired migrate config completions man help" -f -a "config" -d 'Show the resolved configuration and where each value came from'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit purge-expired migrate config completions man help" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, elvish, powershell)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit purge-expired migrate config completions man help" -f -a "man" -d 'Print the man page (roff)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and not __fish_seen_subcommand_from users sessions tokens audit purge-expired migrate config completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "create" -d 'Create a user (password from a prompt, stdin, a file, an environment variable, or generated)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "list" -d 'List users: filter, page with --after, or stream every row with --all'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "show" -d 'Show one user: every field, hash parameters, active sessions and tokens, recent audit events'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "update" -d 'Change a user\'s email address, display name or role'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "disable" -d 'Disable a user and revoke their active sessions and refresh tokens'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "enable" -d 'Enable a disabled user'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "unlock" -d 'Clear a user\'s failed login attempts and lockout'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "reset-password" -d 'Set a new password, clear the lockout, and revoke the user\'s sessions and tokens'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "delete" -d 'Delete a user with their sessions and tokens (the audit trail keeps the history)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "list" -d 'List login sessions in id order (active ones unless --state says otherwise)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "revoke" -d 'Revoke login sessions: by id, every active one of a user, or every active one'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from tokens" -f -a "list" -d 'List refresh tokens in id order (active ones unless --state says otherwise)'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from tokens" -f -a "revoke" -d 'Revoke refresh tokens: by id, every active one of a user, or every active one'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "list" -d 'List audit events, newest first'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "status" -d 'Show applied and pending migrations'
complete -c authctl -n "__fish_authctl_using_subcommand help; and __fish_seen_subcommand_from migrate" -f -a "revert" -d 'Revert the newest applied migrations (destroys their tables and data)'
