#!/usr/bin/env node
'use strict';
// A stand-in for the RestoreAssist backend, used by authctl's integration
// tests. It uses the application's own libraries (pg-promise, bcryptjs,
// jsonwebtoken) and issues SQL shaped like the application's repositories,
// written here from the documented facts (see README.md).
//
// Usage: node tests/app/app.js COMMAND [args]   (see README.md)
// Exit status: 0 success, 1 refused/false answer, 2 error.
// Output: one JSON line on stdout.

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const bcrypt = require('bcryptjs');
const jwt = require('jsonwebtoken');
const pgPromise = require('pg-promise');

const env = process.env;
const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
const BCRYPT_COST = 10;

// ---------------------------------------------------------------- config ---

const pgp = pgPromise({ capSQL: true });

function connectionConfig() {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  return {
    host: env.DB_HOST || 'localhost',
    port: parseInt(env.DB_PORT || '5433', 10),
    database: env.DB_NAME || 'restoreassist',
    user: env.DB_USER || 'restoreassist',
    password: env.DB_PASSWORD || 'dev_password_change_me',
    max: parseInt(env.DB_POOL_SIZE || '20', 10),
    idleTimeoutMillis: 30000,
    connectionTimeoutMillis: 10000,
  };
}

const UNSAFE_SECRET_MARKERS = [
  'your-secret-key', 'change-in-production', 'example', 'change_this', 'your-refresh-secret',
];

function secrets() {
  const access = env.JWT_SECRET || 'authctl-fixture-access-secret-8d2e6b1a5c9f03e7';
  const refresh = env.JWT_REFRESH_SECRET || 'authctl-fixture-refresh-secret-4f1c2a9e7b3d6a80';
  for (const s of [access, refresh]) {
    const lower = s.toLowerCase();
    if (UNSAFE_SECRET_MARKERS.some((m) => lower.includes(m))) {
      throw new Error('JWT secrets use an unsafe default/example value (the application refuses to start)');
    }
  }
  return { access, refresh };
}

// "15m", "7d", ... -> seconds; anything unparsable counts as 900.
function durationSeconds(text) {
  const m = /^(\d+)([smhd])$/.exec(text);
  if (!m) return 900;
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[m[2]];
  return parseInt(m[1], 10) * unit;
}

// ------------------------------------------------------- repository SQL ---
// Statement shapes (columns, aliases, predicates) follow the application's
// user/token/session repositories.

const USER_FIELDS = `id AS "userId", email, password_hash AS password, name, role,
  created_at AS "createdAt", last_login AS "lastLogin",
  email_verified AS "emailVerified", email_verified_at AS "emailVerifiedAt",
  reset_token AS "resetToken", reset_token_expires AS "resetTokenExpires"`;

const TOKEN_FIELDS = `id, user_id AS "userId", token, expires_at AS "expiresAt",
  created_at AS "createdAt", revoked_at AS "revokedAt", is_revoked AS "isRevoked",
  user_agent AS "userAgent", ip_address AS "ipAddress"`;

const SESSION_FIELDS = `session_id AS "sessionId", user_id AS "userId",
  session_token AS "sessionToken", ip_address AS "ipAddress", user_agent AS "userAgent",
  created_at AS "createdAt", expires_at AS "expiresAt",
  last_activity_at AS "lastActivityAt", is_active AS "isActive"`;

const countOf = (row) => parseInt(row.count, 10);

function usersRepo(q) {
  return {
    async create({ email, password, name, role }) {
      const hash = await bcrypt.hash(password, BCRYPT_COST);
      return q.one(
        `INSERT INTO users (id, email, password_hash, name, role, created_at, email_verified)
         VALUES ($1, $2, $3, $4, $5, CURRENT_TIMESTAMP, false)
         RETURNING ${USER_FIELDS}`,
        [crypto.randomUUID(), email.toLowerCase(), hash, name, role || 'user'],
      );
    },
    findById: (userId) => q.oneOrNone(`SELECT ${USER_FIELDS} FROM users WHERE id = $1`, [userId]),
    findByEmail: (email) =>
      q.oneOrNone(`SELECT ${USER_FIELDS} FROM users WHERE email = $1`, [email.toLowerCase()]),
    async update(userId, data) {
      const columns = [
        ['name', 'name'], ['role', 'role'], ['lastLogin', 'last_login'],
        ['emailVerified', 'email_verified'], ['emailVerifiedAt', 'email_verified_at'],
        ['resetToken', 'reset_token'], ['resetTokenExpires', 'reset_token_expires'],
      ];
      const sets = [];
      const values = [];
      for (const [key, column] of columns) {
        if (data[key] === undefined) continue;
        const nullIfEmpty = key === 'resetToken' || key === 'resetTokenExpires';
        values.push(nullIfEmpty ? data[key] || null : data[key]);
        sets.push(`${column} = $${values.length}`);
      }
      if (sets.length === 0) return this.findById(userId);
      sets.push('updated_at = CURRENT_TIMESTAMP');
      values.push(userId);
      return q.oneOrNone(
        `UPDATE users SET ${sets.join(', ')} WHERE id = $${values.length} RETURNING ${USER_FIELDS}`,
        values,
      );
    },
    async updatePassword(userId, password) {
      const hash = await bcrypt.hash(password, BCRYPT_COST);
      const r = await q.result(
        'UPDATE users SET password_hash = $1, updated_at = CURRENT_TIMESTAMP WHERE id = $2',
        [hash, userId],
      );
      return r.rowCount > 0;
    },
    delete: async (userId) => (await q.result('DELETE FROM users WHERE id = $1', [userId])).rowCount > 0,
    findAll: () => q.manyOrNone(`SELECT ${USER_FIELDS} FROM users ORDER BY created_at DESC`),
    count: async () => countOf(await q.one('SELECT COUNT(*) AS count FROM users')),
    existsByEmail: async (email) =>
      (await q.one('SELECT EXISTS(SELECT 1 FROM users WHERE email = $1) AS exists', [email.toLowerCase()]))
        .exists,
    updateLastLogin: (userId) =>
      q.none('UPDATE users SET last_login = CURRENT_TIMESTAMP WHERE id = $1', [userId]),
  };
}

function tokensRepo(q) {
  return {
    create: ({ userId, token, expiresAt, userAgent, ipAddress }) =>
      q.one(
        `INSERT INTO refresh_tokens (id, user_id, token, expires_at, created_at, is_revoked, user_agent, ip_address)
         VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP, false, $5, $6)
         RETURNING ${TOKEN_FIELDS}`,
        [crypto.randomUUID(), userId, token, expiresAt, userAgent || null, ipAddress || null],
      ),
    findByToken: (token) => q.oneOrNone(`SELECT ${TOKEN_FIELDS} FROM refresh_tokens WHERE token = $1`, [token]),
    findByUserId: (userId) =>
      q.manyOrNone(
        `SELECT ${TOKEN_FIELDS} FROM refresh_tokens WHERE user_id = $1 ORDER BY created_at DESC`,
        [userId],
      ),
    async validate(token) {
      const row = await q.oneOrNone(
        `SELECT EXISTS(SELECT 1 FROM refresh_tokens
                        WHERE token = $1 AND is_revoked = false AND expires_at > CURRENT_TIMESTAMP) AS valid`,
        [token],
      );
      return (row && row.valid) || false;
    },
    revoke: async (token) =>
      (await q.result(
        'UPDATE refresh_tokens SET is_revoked = true, revoked_at = CURRENT_TIMESTAMP WHERE token = $1',
        [token],
      )).rowCount > 0,
    revokeAllForUser: async (userId) =>
      (await q.result(
        `UPDATE refresh_tokens SET is_revoked = true, revoked_at = CURRENT_TIMESTAMP
          WHERE user_id = $1 AND is_revoked = false`,
        [userId],
      )).rowCount,
    deleteExpired: async () =>
      (await q.result(
        `DELETE FROM refresh_tokens
          WHERE expires_at < CURRENT_TIMESTAMP
             OR (is_revoked = true AND revoked_at < CURRENT_TIMESTAMP - INTERVAL '7 days')`,
      )).rowCount,
    countActive: async () =>
      countOf(await q.one(
        `SELECT COUNT(*) AS count FROM refresh_tokens
          WHERE is_revoked = false AND expires_at > CURRENT_TIMESTAMP`,
      )),
    countForUser: async (userId) =>
      countOf(await q.one(
        `SELECT COUNT(*) AS count FROM refresh_tokens
          WHERE user_id = $1 AND is_revoked = false AND expires_at > CURRENT_TIMESTAMP`,
        [userId],
      )),
    delete: async (token) =>
      (await q.result('DELETE FROM refresh_tokens WHERE token = $1', [token])).rowCount > 0,
    cleanupUserTokens: async (userId, keep = 5) =>
      (await q.result(
        `DELETE FROM refresh_tokens
          WHERE user_id = $1
            AND id NOT IN (SELECT id FROM refresh_tokens WHERE user_id = $1
                            ORDER BY created_at DESC LIMIT $2)`,
        [userId, keep],
      )).rowCount,
  };
}

function sessionsRepo(q) {
  return {
    create({ userId, sessionToken, ipAddress, userAgent, expiryDays }) {
      const expiresAt = new Date(Date.now() + (expiryDays || 7) * 86400 * 1000);
      return q.one(
        `INSERT INTO login_sessions
           (session_id, user_id, session_token, ip_address, user_agent, created_at, expires_at, last_activity_at, is_active)
         VALUES ($1, $2, $3, $4, $5, CURRENT_TIMESTAMP, $6, CURRENT_TIMESTAMP, true)
         RETURNING ${SESSION_FIELDS}`,
        [crypto.randomUUID(), userId, sessionToken || crypto.randomUUID(), ipAddress || null,
          userAgent || null, expiresAt],
      );
    },
    findById: (sessionId) =>
      q.oneOrNone(`SELECT ${SESSION_FIELDS} FROM login_sessions WHERE session_id = $1`, [sessionId]),
    findByToken: (sessionToken) =>
      q.oneOrNone(`SELECT ${SESSION_FIELDS} FROM login_sessions WHERE session_token = $1`, [sessionToken]),
    findByUserId: (userId) =>
      q.manyOrNone(
        `SELECT ${SESSION_FIELDS} FROM login_sessions WHERE user_id = $1 ORDER BY created_at DESC`,
        [userId],
      ),
    findActiveByUserId: (userId) =>
      q.manyOrNone(
        `SELECT ${SESSION_FIELDS} FROM login_sessions
          WHERE user_id = $1 AND is_active = true AND expires_at > CURRENT_TIMESTAMP
          ORDER BY last_activity_at DESC`,
        [userId],
      ),
    async update(sessionId, data) {
      const columns = [['lastActivityAt', 'last_activity_at'], ['isActive', 'is_active'], ['expiresAt', 'expires_at']];
      const sets = [];
      const values = [];
      for (const [key, column] of columns) {
        if (data[key] === undefined) continue;
        values.push(data[key]);
        sets.push(`${column} = $${values.length}`);
      }
      if (sets.length === 0) return this.findById(sessionId);
      values.push(sessionId);
      return q.oneOrNone(
        `UPDATE login_sessions SET ${sets.join(', ')} WHERE session_id = $${values.length}
         RETURNING ${SESSION_FIELDS}`,
        values,
      );
    },
    updateActivity: async (sessionToken) =>
      (await q.result(
        `UPDATE login_sessions SET last_activity_at = CURRENT_TIMESTAMP
          WHERE session_token = $1 AND is_active = true`,
        [sessionToken],
      )).rowCount > 0,
    async validate(sessionToken) {
      const row = await q.oneOrNone(
        `SELECT EXISTS(SELECT 1 FROM login_sessions
                        WHERE session_token = $1 AND is_active = true AND expires_at > CURRENT_TIMESTAMP) AS valid`,
        [sessionToken],
      );
      return (row && row.valid) || false;
    },
    invalidate: async (sessionToken) =>
      (await q.result('UPDATE login_sessions SET is_active = false WHERE session_token = $1', [sessionToken]))
        .rowCount > 0,
    invalidateAllForUser: async (userId) =>
      (await q.result(
        'UPDATE login_sessions SET is_active = false WHERE user_id = $1 AND is_active = true',
        [userId],
      )).rowCount,
    deleteExpired: async () =>
      (await q.result(
        `DELETE FROM login_sessions
          WHERE expires_at < CURRENT_TIMESTAMP
             OR (is_active = false AND last_activity_at < CURRENT_TIMESTAMP - INTERVAL '30 days')`,
      )).rowCount,
    countActive: async () =>
      countOf(await q.one(
        `SELECT COUNT(*) AS count FROM login_sessions
          WHERE is_active = true AND expires_at > CURRENT_TIMESTAMP`,
      )),
    countForUser: async (userId) =>
      countOf(await q.one(
        `SELECT COUNT(*) AS count FROM login_sessions
          WHERE user_id = $1 AND is_active = true AND expires_at > CURRENT_TIMESTAMP`,
        [userId],
      )),
    delete: async (sessionId) =>
      (await q.result('DELETE FROM login_sessions WHERE session_id = $1', [sessionId])).rowCount > 0,
    getSessionWithUser: (sessionToken) =>
      q.oneOrNone(
        `SELECT s.session_id AS "sessionId", s.user_id AS "userId", s.session_token AS "sessionToken",
                s.ip_address AS "ipAddress", s.user_agent AS "userAgent",
                s.created_at AS "sessionCreatedAt", s.expires_at AS "sessionExpiresAt",
                s.last_activity_at AS "sessionLastActivityAt", s.is_active AS "sessionIsActive",
                u.id AS "userId", u.email, u.name, u.role, u.email_verified AS "emailVerified"
           FROM login_sessions s
           INNER JOIN users u ON s.user_id = u.id
          WHERE s.session_token = $1 AND s.is_active = true AND s.expires_at > CURRENT_TIMESTAMP`,
        [sessionToken],
      ),
  };
}

// The application's own auth_attempts statements (its test-mode access log).
function attemptsRepo(q) {
  return {
    // Fixture-specific: the monitoring row written for each login.
    record: ({ userId, email, ip, userAgent, success, reason }) =>
      q.none(
        `INSERT INTO auth_attempts (user_id, email, ip_address, user_agent, success, failure_reason, attempt_type)
         VALUES ($1, $2, $3, $4, $5, $6, 'login')`,
        [userId || null, email, ip, userAgent || null, success, reason || null],
      ),
    logTestMode: (email, code, ip, userAgent) =>
      q.none(
        `INSERT INTO auth_attempts (email, ip_address, user_agent, success, failure_reason, attempt_type)
         VALUES ($1, $2, $3, false, $4, 'login')`,
        [email, ip || '0.0.0.0', userAgent || null, `Test mode: ${code}`],
      ),
    listTestMode: (limit = 50) =>
      q.manyOrNone(
        `SELECT id, email, timestamp::text AS timestamp, ip_address::text AS "ipAddress",
                user_agent AS "userAgent", failure_reason AS "errorCode"
           FROM auth_attempts WHERE failure_reason LIKE 'Test mode:%'
          ORDER BY timestamp DESC LIMIT $1`,
        [limit],
      ),
    listTestModeByEmail: (email) =>
      q.manyOrNone(
        `SELECT id, email, timestamp::text AS timestamp, ip_address::text AS "ipAddress",
                user_agent AS "userAgent", failure_reason AS "errorCode"
           FROM auth_attempts WHERE email = $1 AND failure_reason LIKE 'Test mode:%'
          ORDER BY timestamp DESC`,
        [email],
      ),
    clearTestMode: () => q.none(`DELETE FROM auth_attempts WHERE failure_reason LIKE 'Test mode:%'`),
  };
}

// -------------------------------------------------------------- helpers ---

class Usage extends Error {}

function readPassword() {
  return fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
}

// Splits argv into positionals and --name value options.
function parseArgs(args, known) {
  const positional = [];
  const options = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const name = a.slice(2);
      if (!known.includes(name)) throw new Usage(`unknown option ${a}`);
      if (name === 'rotate') {
        options.rotate = true;
      } else {
        if (i + 1 >= args.length) throw new Usage(`${a} needs a value`);
        options[name] = args[++i];
      }
    } else {
      positional.push(a);
    }
  }
  return { positional, options };
}

function need(positional, n, usage) {
  if (positional.length < n) throw new Usage(`usage: ${usage}`);
}

// Access + refresh tokens the application's way; stores the refresh token.
async function issueTokens(db, user, { userAgent, ipAddress } = {}) {
  const keys = secrets();
  const accessTtl = durationSeconds(env.JWT_EXPIRY || '15m');
  const refreshTtl = durationSeconds(env.JWT_REFRESH_EXPIRY || '7d');
  const accessToken = jwt.sign(
    { userId: user.userId, email: user.email, name: user.name, role: user.role },
    keys.access,
    { expiresIn: accessTtl },
  );
  const refreshToken = jwt.sign({ userId: user.userId }, keys.refresh, { expiresIn: refreshTtl });
  await tokensRepo(db).create({
    userId: user.userId,
    token: refreshToken,
    expiresAt: new Date(Date.now() + refreshTtl * 1000),
    userAgent,
    ipAddress,
  });
  return { accessToken, refreshToken };
}

// ------------------------------------------------------------- commands ---

const commands = {
  async migrate(db, args) {
    const { options } = parseArgs(args, ['only']);
    const only = options.only ? options.only.split(',').map((s) => s.trim()).filter(Boolean) : null;
    await db.none(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version VARCHAR(255) PRIMARY KEY,
      executed_at TIMESTAMP DEFAULT NOW()
    )`);
    const files = fs.readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .filter((f) => !only || only.some((p) => f.startsWith(p)))
      .sort();
    const executed = [];
    const skipped = [];
    for (const file of files) {
      const version = file.replace('.sql', '');
      if (await db.oneOrNone('SELECT version FROM schema_migrations WHERE version = $1', [version])) {
        skipped.push(version);
        continue;
      }
      try {
        await db.none(fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf-8'));
        await db.none('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      } catch (err) {
        return { code: 2, out: { executed, skipped, failed: version, error: err.message }, err };
      }
      executed.push(version);
    }
    return { code: 0, out: { executed, skipped } };
  },

  async rollback(db) {
    const last = await db.oneOrNone('SELECT version FROM schema_migrations ORDER BY executed_at DESC LIMIT 1');
    if (last) await db.none('DELETE FROM schema_migrations WHERE version = $1', [last.version]);
    return { code: 0, out: { rolledBack: last ? last.version : null } };
  },

  async register(db, args) {
    const { positional } = parseArgs(args, []);
    need(positional, 2, 'register EMAIL NAME [ROLE]  (password on stdin)');
    const [email, name, role] = positional;
    const password = readPassword();
    const users = usersRepo(db);
    if (await users.findByEmail(email)) {
      return { code: 1, out: { userId: null, error: 'User already exists' } };
    }
    const user = await users.create({ email, password, name, role: role || 'user' });
    return { code: 0, out: { userId: user.userId } };
  },

  async login(db, args) {
    const { positional, options } = parseArgs(args, ['ip', 'ua']);
    need(positional, 1, 'login EMAIL [--ip ADDR] [--ua UA]  (password on stdin)');
    const password = readPassword();
    const email = positional[0];
    const attemptIp = options.ip || '127.0.0.1';
    const user = await usersRepo(db).findByEmail(email);
    const ok = user ? await bcrypt.compare(password, user.password) : false;
    const attempts = attemptsRepo(db);
    if (!ok) {
      await attempts.record({
        userId: user && user.userId, email: email.toLowerCase(), ip: attemptIp, userAgent: options.ua,
        success: false, reason: 'invalid_credentials',
      });
      return { code: 1, out: { ok: false } };
    }
    await usersRepo(db).updateLastLogin(user.userId);
    const tokens = await issueTokens(db, user, { userAgent: options.ua, ipAddress: options.ip });
    const session = await sessionsRepo(db).create({
      userId: user.userId, ipAddress: options.ip, userAgent: options.ua,
    });
    await attempts.record({ userId: user.userId, email: user.email, ip: attemptIp, userAgent: options.ua, success: true });
    return {
      code: 0,
      out: {
        ok: true,
        userId: user.userId,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        sessionToken: session.sessionToken,
        sessionId: session.sessionId,
      },
    };
  },

  async refresh(db, args) {
    const { positional, options } = parseArgs(args, ['rotate']);
    need(positional, 1, 'refresh TOKEN [--rotate]');
    const token = positional[0];
    const keys = secrets();
    const tokens = tokensRepo(db);
    if (!(await tokens.validate(token))) return { code: 1, out: { valid: false, reason: 'not_active' } };
    if (!options.rotate) {
      try {
        jwt.verify(token, keys.refresh);
      } catch (err) {
        return { code: 1, out: { valid: false, reason: 'jwt', error: err.message } };
      }
      return { code: 0, out: { valid: true } };
    }
    // --rotate: the application's full refresh (revoke old, issue new; on any
    // failure the presented token is revoked).
    try {
      const decoded = jwt.verify(token, keys.refresh);
      const user = await usersRepo(db).findById(decoded.userId);
      if (!user) throw new Error('User not found');
      await tokens.revoke(token);
      const fresh = await issueTokens(db, user);
      return { code: 0, out: { valid: true, refreshToken: fresh.refreshToken, accessToken: fresh.accessToken } };
    } catch (err) {
      await tokens.revoke(token);
      return { code: 1, out: { valid: false, reason: 'refresh_failed', error: err.message } };
    }
  },

  async 'session-valid'(db, args) {
    need(args, 1, 'session-valid SESSION_TOKEN');
    const valid = await sessionsRepo(db).validate(args[0]);
    return { code: valid ? 0 : 1, out: { valid } };
  },

  async logout(db, args) {
    need(args, 1, 'logout TOKEN');
    return { code: 0, out: { revoked: await tokensRepo(db).revoke(args[0]) } };
  },

  async 'revoke-user'(db, args) {
    need(args, 1, 'revoke-user USER_ID');
    return { code: 0, out: { revoked: await tokensRepo(db).revokeAllForUser(args[0]) } };
  },

  async 'invalidate-sessions'(db, args) {
    need(args, 1, 'invalidate-sessions USER_ID');
    return { code: 0, out: { invalidated: await sessionsRepo(db).invalidateAllForUser(args[0]) } };
  },

  async cleanup(db) {
    const row = await db.one(
      `SELECT clean_expired_refresh_tokens() AS "refreshTokens",
              clean_expired_sessions() AS sessions,
              clean_old_auth_attempts() AS "authAttempts"`,
    );
    return { code: 0, out: row };
  },

  async 'rate-limit'(db, args) {
    need(args, 1, 'rate-limit IP');
    const { allowed } = await db.one('SELECT check_rate_limit($1) AS allowed', [args[0]]);
    return { code: allowed ? 0 : 1, out: { allowed } };
  },

  async 'seed-defaults'(db) {
    const users = usersRepo(db);
    const defaults = [
      { email: 'admin@restoreassist.com', password: 'admin123', name: 'Admin User', role: 'admin' },
      { email: 'demo@restoreassist.com', password: 'demo123', name: 'Demo User', role: 'user' },
    ];
    const created = [];
    for (const d of defaults) {
      if (await users.existsByEmail(d.email)) continue;
      await users.create(d);
      created.push(d.email);
    }
    return { code: 0, out: { created } };
  },

  async 'sql-smoke'(db) {
    const ran = [];
    let current = null;
    const ROLLBACK = Symbol('rollback');
    try {
      await db.tx(async (t) => {
        const users = usersRepo(t);
        const tokens = tokensRepo(t);
        const sessions = sessionsRepo(t);
        const attempts = attemptsRepo(t);
        const step = async (name, fn) => {
          current = name;
          const result = await fn();
          ran.push(name);
          return result;
        };
        const email = `smoke-${crypto.randomUUID().slice(0, 8)}@example.com`;
        const stranger = crypto.randomUUID();

        const u = await step('users.create', () => users.create({ email, password: 'smoke-pass', name: 'Smoke' }));
        await step('users.findById', () => users.findById(u.userId));
        await step('users.findByEmail', () => users.findByEmail(email.toUpperCase()));
        await step('users.update', () => users.update(u.userId, {
          name: 'Smoke 2', role: 'premium', lastLogin: new Date().toISOString(), emailVerified: true,
          emailVerifiedAt: new Date().toISOString(), resetToken: 'reset-token', resetTokenExpires: new Date(Date.now() + 3600e3).toISOString(),
        }));
        await step('users.update(clear reset)', () => users.update(u.userId, { resetToken: '', resetTokenExpires: '' }));
        await step('users.updatePassword', () => users.updatePassword(u.userId, 'smoke-pass-2'));
        await step('users.findAll', () => users.findAll());
        await step('users.count', () => users.count());
        await step('users.existsByEmail', () => users.existsByEmail(email));
        await step('users.updateLastLogin', () => users.updateLastLogin(u.userId));

        const rt = 'smoke-refresh-token-' + crypto.randomBytes(24).toString('hex');
        await step('tokens.create', () => tokens.create({
          userId: u.userId, token: rt, expiresAt: new Date(Date.now() + 86400e3), userAgent: 'smoke', ipAddress: '10.0.0.1',
        }));
        await step('tokens.findByToken', () => tokens.findByToken(rt));
        await step('tokens.findByUserId', () => tokens.findByUserId(u.userId));
        await step('tokens.validate', () => tokens.validate(rt));
        await step('tokens.countActive', () => tokens.countActive());
        await step('tokens.countForUser', () => tokens.countForUser(u.userId));
        await step('tokens.revoke', () => tokens.revoke(rt));
        await step('tokens.revokeAllForUser', () => tokens.revokeAllForUser(u.userId));
        await step('tokens.cleanupUserTokens(random user)', () => tokens.cleanupUserTokens(stranger));
        await step('tokens.cleanupUserTokens', () => tokens.cleanupUserTokens(u.userId, 5));
        await step('tokens.deleteExpired', () => tokens.deleteExpired());
        await step('tokens.delete', () => tokens.delete(rt));

        const s = await step('sessions.create', () => sessions.create({ userId: u.userId, ipAddress: '10.0.0.2', userAgent: 'smoke' }));
        await step('sessions.findById', () => sessions.findById(s.sessionId));
        await step('sessions.findByToken', () => sessions.findByToken(s.sessionToken));
        await step('sessions.findByUserId', () => sessions.findByUserId(u.userId));
        await step('sessions.findActiveByUserId', () => sessions.findActiveByUserId(u.userId));
        await step('sessions.update', () => sessions.update(s.sessionId, {
          lastActivityAt: new Date(), expiresAt: new Date(Date.now() + 2 * 86400e3), isActive: true,
        }));
        await step('sessions.updateActivity', () => sessions.updateActivity(s.sessionToken));
        await step('sessions.validate', () => sessions.validate(s.sessionToken));
        await step('sessions.getSessionWithUser', () => sessions.getSessionWithUser(s.sessionToken));
        await step('get_active_session_count', () => t.one('SELECT get_active_session_count($1) AS n', [u.userId]));
        await step('sessions.countActive', () => sessions.countActive());
        await step('sessions.countForUser', () => sessions.countForUser(u.userId));
        await step('sessions.invalidate', () => sessions.invalidate(s.sessionToken));
        await step('sessions.invalidateAllForUser', () => sessions.invalidateAllForUser(u.userId));
        await step('sessions.deleteExpired', () => sessions.deleteExpired());
        await step('sessions.delete', () => sessions.delete(s.sessionId));

        await step('authAttempts.logTestMode', () => attempts.logTestMode(email, 'SMOKE', null, null));
        await step('authAttempts.listTestMode', () => attempts.listTestMode(10));
        await step('authAttempts.listTestModeByEmail', () => attempts.listTestModeByEmail(email));
        await step('authAttempts.clearTestMode', () => attempts.clearTestMode());

        await step('users.delete(random id)', () => users.delete(stranger));
        await step('users.delete', () => users.delete(u.userId));
        current = null;
        throw ROLLBACK;
      });
    } catch (err) {
      if (err !== ROLLBACK) {
        return { code: 2, out: { ok: false, ran, failed: current, error: err.message }, err };
      }
    }
    return { code: 0, out: { ok: true, ran } };
  },

  async 'schema-dump'(db) {
    const tables = ['auth_attempts', 'device_fingerprints', 'login_sessions', 'refresh_tokens', 'users'];
    const functions = [
      'check_rate_limit', 'clean_expired_refresh_tokens', 'clean_expired_sessions', 'clean_old_auth_attempts',
      'get_active_session_count', 'update_device_last_seen', 'update_session_activity', 'update_updated_at_column',
    ];
    const { schema } = await db.one('SELECT current_schema() AS schema');
    const unqualify = (s) => s.split(`${schema}.`).join('');
    const normDefault = (d) => (d === null ? null : d.replace(/\bCURRENT_TIMESTAMP\b/g, 'now()'));
    const dump = { tables: {}, functions: {} };
    for (const table of tables) {
      const rel = await db.oneOrNone(
        `SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'r'`,
        [schema, table],
      );
      if (!rel) {
        dump.tables[table] = null;
        continue;
      }
      const entry = { columns: {}, constraints: {}, indexes: {}, triggers: {} };
      const columns = await db.manyOrNone(
        `SELECT column_name, data_type, udt_name, character_maximum_length, is_nullable, column_default
           FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = $2 ORDER BY column_name`,
        [schema, table],
      );
      for (const c of columns) {
        entry.columns[c.column_name] = {
          data_type: c.data_type,
          udt_name: c.udt_name,
          max_length: c.character_maximum_length === null ? null : Number(c.character_maximum_length),
          is_nullable: c.is_nullable,
          column_default: normDefault(c.column_default),
        };
      }
      const constraints = await db.manyOrNone(
        `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
          WHERE conrelid = $1 ORDER BY conname`,
        [rel.oid],
      );
      for (const c of constraints) entry.constraints[c.conname] = unqualify(c.def);
      const indexes = await db.manyOrNone(
        `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def
           FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
          WHERE i.indrelid = $1 ORDER BY ic.relname`,
        [rel.oid],
      );
      for (const i of indexes) entry.indexes[i.name] = unqualify(i.def);
      const triggers = await db.manyOrNone(
        `SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger
          WHERE tgrelid = $1 AND NOT tgisinternal ORDER BY tgname`,
        [rel.oid],
      );
      for (const tr of triggers) entry.triggers[tr.tgname] = unqualify(tr.def);
      dump.tables[table] = entry;
    }
    const procs = await db.manyOrNone(
      `SELECT p.proname AS name,
              pg_get_function_identity_arguments(p.oid) AS identity_arguments,
              pg_get_function_arguments(p.oid) AS arguments,
              pg_get_function_result(p.oid) AS result
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = $1 AND p.proname IN ($2:csv)
        ORDER BY p.proname, 2`,
      [schema, functions],
    );
    for (const f of functions) {
      const found = procs.filter((p) => p.name === f)
        .map(({ identity_arguments, arguments: a, result }) => ({ identity_arguments, arguments: a, result }));
      dump.functions[f] = found.length === 0 ? null : found;
    }
    return { code: 0, out: dump };
  },
};

// ----------------------------------------------------------------- main ---

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const run = commands[command];
  if (!run) {
    process.stderr.write(`app.js: unknown command ${JSON.stringify(command || '')}\n` +
      `commands: ${Object.keys(commands).join(', ')}\n`);
    return 2;
  }
  const db = pgp(connectionConfig());
  try {
    const { code, out, err } = await run(db, args);
    if (out !== undefined) process.stdout.write(JSON.stringify(out) + '\n');
    if (err) process.stderr.write(`app.js ${command}: ${err.message}\n`);
    return code;
  } catch (err) {
    process.stderr.write(`app.js ${command}: ${err.message}\n`);
    return 2;
  } finally {
    await pgp.end();
  }
}

main().then((code) => { process.exitCode = code; });
