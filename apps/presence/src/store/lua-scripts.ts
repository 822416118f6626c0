/**
 * Lua scripts of the live-location store. Each runs atomically in Redis, so concurrent replicas and
 * concurrent commands of one user never see (or leave) a half-applied change, and the hot path costs a
 * single round trip: write + index + fan-out scheduling + radar candidates.
 *
 * Every script receives the same first keys and arguments (see `COMMON_KEYS` in live-location.store.ts):
 *   KEYS[1] locations (hash user -> location JSON, true coordinates)
 *   KEYS[2] visibility cache (hash user -> '1' | '0'; Postgres is the source of truth)
 *   KEYS[3] visible GEO index, KEYS[4] its polar twin   (users on other people's radar)
 *   KEYS[5] hidden-viewer GEO index, KEYS[6] its polar twin (live users off the radar who still view it)
 *   KEYS[7] indexed (zset user -> fix time): who is in one of the four indexes
 *   KEYS[8] due pushes (zset viewer -> due time), KEYS[9] last push (hash viewer -> time)
 *   KEYS[10] cache generations (hash 'b:'|'c:'|'p:' .. user -> counter)
 *   KEYS[11] location times (zset user -> fix time), for retention
 *   KEYS[12] deleted users (set)
 *   ARGV[1] now (ms), ARGV[2] search radius (m), ARGV[3] latitude from which searches use the polar
 *   index, ARGV[4] push interval (ms), ARGV[5] stale after (ms)
 * Script-specific keys start at KEYS[13], arguments at ARGV[6].
 *
 * Results are flat arrays; a "radar" result is
 *   status, live(0|1), visibility, pushes scheduled, viewer location JSON, gen b, gen c, gen p,
 *   the user's sockets other than the sending one, n, n candidate ids, n candidate location JSONs,
 *   n candidate profile generations.
 */
const PRELUDE = `
local now = tonumber(ARGV[1])
local searchRadius = tonumber(ARGV[2])
local polarFrom = tonumber(ARGV[3])
local pushInterval = tonumber(ARGV[4])
local staleMs = tonumber(ARGV[5])

local function decode(raw)
  if raw then return cjson.decode(raw) end
  return nil
end

local function rad(d) return d * math.pi / 180 end
local function haversine(lat1, lng1, lat2, lng2)
  local h = math.sin(rad(lat2 - lat1) / 2) ^ 2
    + math.cos(rad(lat1)) * math.cos(rad(lat2)) * math.sin(rad(lng2 - lng1) / 2) ^ 2
  if h > 1 then h = 1 end
  return 2 * 6371008.8 * math.asin(math.sqrt(h))
end

local function unindex(u)
  redis.call('ZREM', KEYS[3], u)
  redis.call('ZREM', KEYS[4], u)
  redis.call('ZREM', KEYS[5], u)
  redis.call('ZREM', KEYS[6], u)
  redis.call('ZREM', KEYS[7], u)
end

local function index(u, loc, visible)
  unindex(u)
  local main, polar = KEYS[3], KEYS[4]
  if not visible then main, polar = KEYS[5], KEYS[6] end
  if loc.m == 1 then redis.call('GEOADD', main, loc.lng, loc.lat, u) end
  if loc.plat then redis.call('GEOADD', polar, loc.plng, loc.plat, u) end
  redis.call('ZADD', KEYS[7], loc.at, u)
end

local function visible_indexed(u)
  return redis.call('ZSCORE', KEYS[3], u) or redis.call('ZSCORE', KEYS[4], u)
end

-- Sockets of u other than \`socket\` (whether presence.updated must go out to other devices).
local function other_sockets(socketsKey, socket)
  local count = redis.call('HLEN', socketsKey)
  if socket ~= '' and redis.call('HEXISTS', socketsKey, socket) == 1 then count = count - 1 end
  return count
end

local function fresh(loc)
  return loc ~= nil and now - loc.at <= staleMs
end

-- Viewers (visible or hidden) whose radar circle may contain loc: the bounded fan-out.
local function viewers_near(loc, out)
  local a, b, lng, lat = KEYS[3], KEYS[5], loc.lng, loc.lat
  if math.abs(loc.lat) >= polarFrom then a, b, lng, lat = KEYS[4], KEYS[6], loc.plng, loc.plat end
  for _, key in ipairs({ a, b }) do
    local ids = redis.call('GEOSEARCH', key, 'FROMLONLAT', lng, lat, 'BYRADIUS', searchRadius, 'm')
    for _, id in ipairs(ids) do out[id] = true end
  end
end

-- Coalescing: one slot per viewer (ZADD LT: an earlier need pulls an existing slot forward, a later one
-- never pushes it back), one command for all of them. The per-viewer rate (one push per interval) is
-- enforced when slots are claimed. \`delay\` defers pushes caused by movement.
local function schedule(targets, except, delay)
  local at = now + delay
  local added = 0
  local args = {}
  local function flush()
    if #args > 0 then added = added + redis.call('ZADD', KEYS[8], 'LT', unpack(args)) end
    args = {}
  end
  for v, _ in pairs(targets) do
    if v ~= except then
      args[#args + 1] = at
      args[#args + 1] = v
      -- unpack() is bounded by Lua's C stack: send very crowded fan-outs in slices.
      if #args >= 2000 then flush() end
    end
  end
  flush()
  return added
end

local function go_offline(u)
  local loc = decode(redis.call('HGET', KEYS[1], u))
  local targets = {}
  if loc and visible_indexed(u) then viewers_near(loc, targets) end
  unindex(u)
  redis.call('HDEL', KEYS[9], u)
  redis.call('ZREM', KEYS[8], u)
  return schedule(targets, u, 0)
end

-- The radar of u at loc: nearest visible users (the caller filters and caps), with their locations and
-- the cache generations the caller needs to trust its projections.
local function radar_result(status, u, live, vis, scheduled, locRaw, loc, count, others)
  local gens = redis.call('HMGET', KEYS[10], 'b:' .. u, 'c:' .. u, 'p:' .. u)
  local out = { status, live and 1 or 0, vis or false, scheduled, locRaw or false, gens[1], gens[2], gens[3], others }
  local ids = {}
  if loc and fresh(loc) and count > 0 then
    local key, lng, lat = KEYS[3], loc.lng, loc.lat
    if math.abs(loc.lat) >= polarFrom then key, lng, lat = KEYS[4], loc.plng, loc.plat end
    ids = redis.call('GEOSEARCH', key, 'FROMLONLAT', lng, lat, 'BYRADIUS', searchRadius, 'm', 'ASC', 'COUNT', count)
  end
  out[#out + 1] = #ids
  if #ids == 0 then return out end
  local locs = redis.call('HMGET', KEYS[1], unpack(ids))
  local fields = {}
  for i, id in ipairs(ids) do fields[i] = 'p:' .. id end
  local profileGens = redis.call('HMGET', KEYS[10], unpack(fields))
  for i = 1, #ids do out[#out + 1] = ids[i] end
  for i = 1, #ids do out[#out + 1] = locs[i] end
  for i = 1, #ids do out[#out + 1] = profileGens[i] end
  return out
end
`;

/**
 * presence.location_update.
 * KEYS[13] sockets of the user. ARGV[6] user, ARGV[7] location JSON, ARGV[8] max speed (m/s),
 * ARGV[9] jump tolerance (m), ARGV[10] radar count, ARGV[11] delay of position-only pushes (ms),
 * ARGV[12] sending socket, ARGV[13] number of peers k, ARGV[14..] peers.
 * Every radar change a location update causes (someone moving into, within or out of a radar) is a
 * position refresh: pushed after the delay, and dropped when the viewer's own next update answers it.
 */
export const LOCATION_UPDATE_LUA = `${PRELUDE}
local u = ARGV[6]
if redis.call('SISMEMBER', KEYS[12], u) == 1 then return { 'deleted' } end
local vis = redis.call('HGET', KEYS[2], u)
if not vis then return { 'need_vis' } end
local loc = cjson.decode(ARGV[7])
local prevRaw = redis.call('HGET', KEYS[1], u)
local prev = decode(prevRaw)
if prev then
  local dt = (now - prev.at) / 1000
  if dt < 0 then dt = 0 end
  local d = haversine(prev.lat, prev.lng, loc.lat, loc.lng)
  if d > tonumber(ARGV[8]) * dt + tonumber(ARGV[9]) then
    return { 'too_fast', string.format('%.1f', d), string.format('%.3f', dt) }
  end
end
local live = redis.call('EXISTS', KEYS[13]) == 1
local wasVisible = visible_indexed(u) and prev ~= nil
local visible = vis ~= '0'
redis.call('HSET', KEYS[1], u, ARGV[7])
redis.call('ZADD', KEYS[11], loc.at, u)
if live then index(u, loc, visible) else unindex(u) end
local isVisible = live and visible
local targets = {}
if wasVisible and isVisible and prev.cell == loc.cell then
  -- Same grid cell: strangers see nothing new; only connected viewers (exact positions) do.
  for i = 1, tonumber(ARGV[13]) do
    local p = ARGV[13 + i]
    if redis.call('ZSCORE', KEYS[7], p) then
      local pl = decode(redis.call('HGET', KEYS[1], p))
      if pl and (haversine(pl.lat, pl.lng, loc.lat, loc.lng) <= searchRadius
          or haversine(pl.lat, pl.lng, prev.lat, prev.lng) <= searchRadius) then
        targets[p] = true
      end
    end
  end
else
  if wasVisible then viewers_near(prev, targets) end
  if isVisible then viewers_near(loc, targets) end
end
local scheduled = schedule(targets, u, tonumber(ARGV[11]))
redis.call('ZREM', KEYS[8], u)
return radar_result('ok', u, live, vis, scheduled, ARGV[7], loc, tonumber(ARGV[10]), other_sockets(KEYS[13], ARGV[12]))
`;

/**
 * radar.set_visible. KEYS[13] sockets of the user. ARGV[6] user, ARGV[7] '1' | '0', ARGV[8] radar count,
 * ARGV[9] sending socket.
 */
export const SET_VISIBILITY_LUA = `${PRELUDE}
local u = ARGV[6]
local vis = ARGV[7]
redis.call('HSET', KEYS[2], u, vis)
local locRaw = redis.call('HGET', KEYS[1], u)
local loc = decode(locRaw)
local live = redis.call('EXISTS', KEYS[13]) == 1
local wasVisible = visible_indexed(u)
local targets = {}
if live and fresh(loc) then index(u, loc, vis == '1') else unindex(u) end
local isVisible = live and fresh(loc) and vis == '1'
if loc and ((wasVisible and not isVisible) or (isVisible and not wasVisible)) then viewers_near(loc, targets) end
local scheduled = schedule(targets, u, 0)
redis.call('ZREM', KEYS[8], u)
return radar_result('ok', u, live, vis, scheduled, locRaw, loc, tonumber(ARGV[8]), other_sockets(KEYS[13], ARGV[9]))
`;

/** Read-only radar of a user from their stored location. ARGV[6] user, ARGV[7] radar count. KEYS[13] sockets. */
export const RADAR_LUA = `${PRELUDE}
local u = ARGV[6]
local locRaw = redis.call('HGET', KEYS[1], u)
local live = redis.call('EXISTS', KEYS[13]) == 1
return radar_result('ok', u, live, redis.call('HGET', KEYS[2], u), 0, locRaw, decode(locRaw), tonumber(ARGV[7]), other_sockets(KEYS[13], ''))
`;

/**
 * socket.opened. KEYS[13] sockets of the user, KEYS[14] gateways, KEYS[15] users of the gateway,
 * KEYS[16] closed-socket tombstone. ARGV[6] user, ARGV[7] socket, ARGV[8] gateway.
 * Returns { status, went live (0|1), pushes scheduled }.
 */
export const SOCKET_OPENED_LUA = `${PRELUDE}
local u, socket, gw = ARGV[6], ARGV[7], ARGV[8]
if redis.call('EXISTS', KEYS[16]) == 1 then return { 'ignored', 0, 0 } end
local wasLive = redis.call('EXISTS', KEYS[13]) == 1
local loc = decode(redis.call('HGET', KEYS[1], u))
local vis = redis.call('HGET', KEYS[2], u)
if not wasLive and fresh(loc) and not vis then return { 'need_vis', 0, 0 } end
redis.call('HSET', KEYS[13], socket, gw)
redis.call('ZADD', KEYS[14], now, gw)
redis.call('ZADD', KEYS[15], now, u)
if wasLive then return { 'ok', 0, 0 } end
local scheduled = 0
if fresh(loc) and redis.call('SISMEMBER', KEYS[12], u) == 0 then
  index(u, loc, vis ~= '0')
  if vis ~= '0' then
    local targets = {}
    viewers_near(loc, targets)
    scheduled = schedule(targets, u, 0)
  end
end
return { 'ok', 1, scheduled }
`;

/**
 * socket.closed. KEYS[13] sockets of the user, KEYS[14] users of the gateway, KEYS[15] closed users of
 * the gateway, KEYS[16] closed-socket tombstone. ARGV[6] user, ARGV[7] socket, ARGV[8] gateway,
 * ARGV[9] closed at (gateway time, ms), ARGV[10] tombstone lifetime (s).
 */
export const SOCKET_CLOSED_LUA = `${PRELUDE}
local u, socket, gw = ARGV[6], ARGV[7], ARGV[8]
redis.call('SET', KEYS[16], '1', 'EX', tonumber(ARGV[10]))
local removed = redis.call('HDEL', KEYS[13], socket)
local remaining = redis.call('HVALS', KEYS[13])
local onGateway = false
for _, g in ipairs(remaining) do
  if g == gw then onGateway = true end
end
if not onGateway then
  redis.call('ZREM', KEYS[14], u)
  redis.call('ZADD', KEYS[15], tonumber(ARGV[9]), u)
end
if removed == 0 or #remaining > 0 then return { 'ok', 0, 0 } end
return { 'ok', 1, go_offline(u) }
`;

/**
 * gateway.heartbeat (one chunk). KEYS[13] gateways, KEYS[14] users of the gateway, KEYS[15] closed
 * users of the gateway, KEYS[16..] sockets of each listed user. ARGV[6] gateway, ARGV[7] heartbeat time
 * (gateway time, ms), ARGV[8..] listed users. Refreshes every listed user; a listed user we do not know
 * on this gateway (lost socket.opened) is adopted unless a socket.closed newer than the heartbeat says
 * otherwise. Returns the users who went live.
 */
export const GATEWAY_HEARTBEAT_LUA = `${PRELUDE}
local gw, at = ARGV[6], tonumber(ARGV[7])
redis.call('ZADD', KEYS[13], now, gw)
redis.call('ZREMRANGEBYSCORE', KEYS[15], '-inf', at - 120000)
local wentLive = {}
for i = 8, #ARGV do
  local u = ARGV[i]
  local sockets = KEYS[16 + i - 8]
  if redis.call('ZSCORE', KEYS[14], u) then
    redis.call('ZADD', KEYS[14], now, u)
  else
    local closedAt = redis.call('ZSCORE', KEYS[15], u)
    if not closedAt or tonumber(closedAt) < at then
      if redis.call('EXISTS', sockets) == 0 then wentLive[#wentLive + 1] = u end
      redis.call('HSET', sockets, 'hb:' .. gw, gw)
      redis.call('ZADD', KEYS[14], now, u)
    end
  end
end
return wentLive
`;

/**
 * Sweep: drops a user's sockets on a gateway that died ('dead': not heard from since before the cutoff)
 * or that stopped listing the user ('stale': a lost socket.closed). Re-checks the condition, so racing
 * replicas drop each pair once.
 * KEYS[13] sockets of the user, KEYS[14] users of the gateway, KEYS[15] gateways.
 * ARGV[6] user, ARGV[7] gateway, ARGV[8] cutoff (ms), ARGV[9] mode. Returns { status, went offline, pushes }.
 */
export const DROP_USER_FROM_GATEWAY_LUA = `${PRELUDE}
local u, gw, cutoff, mode = ARGV[6], ARGV[7], tonumber(ARGV[8]), ARGV[9]
if mode == 'dead' then
  local seen = redis.call('ZSCORE', KEYS[15], gw)
  if seen and tonumber(seen) >= cutoff then return { 'skip', 0, 0 } end
else
  local seen = redis.call('ZSCORE', KEYS[14], u)
  if not seen or tonumber(seen) >= cutoff then return { 'skip', 0, 0 } end
end
redis.call('ZREM', KEYS[14], u)
local all = redis.call('HGETALL', KEYS[13])
local removed = false
for i = 1, #all, 2 do
  if all[i + 1] == gw then
    redis.call('HDEL', KEYS[13], all[i])
    removed = true
  end
end
if not removed or redis.call('EXISTS', KEYS[13]) == 1 then return { 'ok', 0, 0 } end
return { 'ok', 1, go_offline(u) }
`;

/** Forgets a dead gateway once no user is left on it. KEYS[13] gateways, KEYS[14] its users, KEYS[15] its closed users. */
export const FORGET_GATEWAY_LUA = `${PRELUDE}
local gw, cutoff = ARGV[6], tonumber(ARGV[7])
local seen = redis.call('ZSCORE', KEYS[13], gw)
if not seen or tonumber(seen) >= cutoff or redis.call('ZCARD', KEYS[14]) > 0 then return 0 end
redis.call('ZREM', KEYS[13], gw)
redis.call('DEL', KEYS[15])
return 1
`;

/** Sweep: takes users whose last fix went stale off every radar. ARGV[6] limit. Returns { swept, pushes }. */
export const SWEEP_STALE_LUA = `${PRELUDE}
local ids = redis.call('ZRANGEBYSCORE', KEYS[7], '-inf', now - staleMs - 1, 'LIMIT', 0, tonumber(ARGV[6]))
local targets = {}
for _, u in ipairs(ids) do
  local loc = decode(redis.call('HGET', KEYS[1], u))
  if loc and visible_indexed(u) then viewers_near(loc, targets) end
  unindex(u)
end
for _, u in ipairs(ids) do targets[u] = nil end
return { #ids, schedule(targets, '', 0) }
`;

/** Sweep: forgets locations older than the retention. ARGV[6] cutoff (ms), ARGV[7] limit. */
export const SWEEP_RETENTION_LUA = `${PRELUDE}
local ids = redis.call('ZRANGEBYSCORE', KEYS[11], '-inf', tonumber(ARGV[6]), 'LIMIT', 0, tonumber(ARGV[7]))
for _, u in ipairs(ids) do
  unindex(u)
  redis.call('HDEL', KEYS[1], u)
  redis.call('ZREM', KEYS[11], u)
  redis.call('HDEL', KEYS[2], u)
  redis.call('HDEL', KEYS[9], u)
end
return #ids
`;

/** Deleted account: off every radar now, location forgotten. ARGV[6] user. Returns pushes scheduled. */
export const FORGET_USER_LUA = `${PRELUDE}
local u = ARGV[6]
redis.call('SADD', KEYS[12], u)
local scheduled = go_offline(u)
redis.call('HDEL', KEYS[1], u)
redis.call('ZREM', KEYS[11], u)
redis.call('HDEL', KEYS[2], u)
return scheduled
`;

/**
 * Schedules pushes for the listed users that currently have a radar (blocks, connections) and, with
 * ARGV[6] = '1', for every viewer around the first listed user (their profile changed). ARGV[7..] users.
 */
export const SCHEDULE_USERS_LUA = `${PRELUDE}
local targets = {}
for i = 7, #ARGV do
  if redis.call('ZSCORE', KEYS[7], ARGV[i]) then targets[ARGV[i]] = true end
end
if ARGV[6] == '1' and ARGV[7] and visible_indexed(ARGV[7]) then
  local loc = decode(redis.call('HGET', KEYS[1], ARGV[7]))
  if loc then viewers_near(loc, targets) end
end
return schedule(targets, '', 0)
`;

/**
 * Claims the pushes due now (at most ARGV[6], oldest first) and records them as sent. A viewer pushed
 * less than one interval ago is not claimed but moved to the end of that interval.
 */
export const CLAIM_DUE_PUSHES_LUA = `${PRELUDE}
local ids = redis.call('ZRANGEBYSCORE', KEYS[8], '-inf', now, 'LIMIT', 0, tonumber(ARGV[6]))
local claimed = {}
for _, v in ipairs(ids) do
  local allowed = tonumber(redis.call('HGET', KEYS[9], v) or '-1e18') + pushInterval
  if allowed > now then
    redis.call('ZADD', KEYS[8], allowed, v)
  else
    redis.call('ZREM', KEYS[8], v)
    redis.call('HSET', KEYS[9], v, now)
    claimed[#claimed + 1] = v
  end
end
return claimed
`;
