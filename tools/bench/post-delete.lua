-- wrk script: creates an oauth2 connector with a unique id and target (POST), then
-- deletes it (DELETE), alternating. Usage: wrk ... -s post-delete.lua URL -- CONFIG_FILE
-- where CONFIG_FILE holds the JSON of the connector config (oauth2 sampleConfig).
--
-- Each wrk thread has its own Lua state and its own id prefix (w1-, w2-, ...), so the
-- threads never collide. A DELETE is only sent for an id whose POST was answered 200
-- (read from the answer body), so it never overtakes its POST on another connection.
-- A run that ends between the two leaves a few connectors behind.

local threads = 0

-- Runs in the main Lua state, once per thread, before the threads start.
function setup(thread)
  threads = threads + 1
  thread:set("prefix", "w" .. threads .. "-")
end

local config
local counter = 0
local created, first, last = {}, 1, 0 -- queue of created ids, oldest first

function init(args)
  local file = assert(io.open(args[1], "r"))
  config = file:read("*a"):gsub("%s+$", "")
  file:close()
end

local post_headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer bench-token",
}
local delete_headers = { ["Authorization"] = "Bearer bench-token" }

function request()
  if first <= last then
    local id = created[first]
    created[first] = nil
    first = first + 1
    return wrk.format("DELETE", "/api/connectors/" .. id, delete_headers)
  end
  counter = counter + 1
  local id = string.format("%s%07d", prefix, counter)
  local body = string.format(
    '{"id":"%s","connectorId":"oauth2","metadata":{"target":"%s"},"config":%s}', id, id, config)
  return wrk.format("POST", "/api/connectors", post_headers, body)
end

function response(status, headers, body)
  if status == 200 then
    local id = body:match('"id":"([^"]+)"')
    if id then
      last = last + 1
      created[last] = id
    end
  end
end
