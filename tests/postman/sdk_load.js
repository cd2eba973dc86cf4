// Load a collection and an environment with Postman's own SDK (npm postman-collection) and print what it saw.
// Usage: node sdk_load.js <collection.json> <environment.json>
'use strict';
const fs = require('fs');
const sdk = require('postman-collection');

const raw = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const collection = new sdk.Collection(raw);
const requests = [];
collection.forEachItem((item) => {
    requests.push({
        id: item.id,
        name: item.name,
        method: item.request.method,
        url: item.request.url.toString(),
        pathVariables: item.request.url.variables.count(),
        headers: item.request.headers.count(),
        auth: item.getAuth() ? item.getAuth().type : null,
        responses: item.responses.map((r) => r.code),
    });
});
const folders = [];
collection.forEachItemGroup((group) => folders.push(group.name));
const env = new sdk.VariableScope(JSON.parse(fs.readFileSync(process.argv[3], 'utf8')));
process.stdout.write(JSON.stringify({
    id: collection.id,
    name: collection.name,
    auth: collection.auth ? collection.auth.type : null,
    events: collection.events.map((e) => e.listen),
    folders,
    requests,
    environment: env.toObject(),
}));
