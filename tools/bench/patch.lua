-- wrk script: PATCH one config key per request (a different value each time).
local counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"config":{"k%d":"v%d"}}', counter % 50, counter)
  return wrk.format("PATCH", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer bench-token",
  }, body)
end
