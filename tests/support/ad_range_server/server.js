// A small LDAP server that answers like Active Directory where Samba AD does not: a multi-valued
// attribute with more values than MaxValRange comes back as "member;range=0-1499", and the rest is
// read with "member;range=1500-*" and so on, the last range ending in "*" (MS-ADTS 3.1.1.3.1.3.3,
// "Range Retrieval of Attribute Values"). Holds a fixed directory built from its arguments.
//
//   node server.js <port> <users> <maxValRange>
//
// DC=range,DC=example: OU=people with u00000.. (each a member of CN=big), OU=groups with CN=big
// (every user) and CN=small (the first three). The service account CN=svc,DC=range,DC=example
// binds with "svc-pw"; a user binds with "pw-<name>". Prints "listening" once it accepts.
'use strict'

const crypto = require('crypto')
const ldap = require('ldapjs')

const port = Number(process.argv[2])
const userCount = Number(process.argv[3] || 4000)
const maxValRange = Number(process.argv[4] || 1500)

const base = 'DC=range,DC=example'
const serviceDn = 'CN=svc,' + base
const entries = []

function guid () { return crypto.randomBytes(16) }

const users = []
for (let i = 0; i < userCount; ++i) {
  const name = 'u' + String(i).padStart(5, '0')
  const dn = 'CN=' + name + ',OU=people,' + base
  users.push(dn)
  entries.push({
    dn,
    attributes: {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      objectCategory: ['person'],
      cn: [name],
      sAMAccountName: [name],
      userPrincipalName: [name + '@range.example'],
      mail: [name + '@range.example'],
      displayName: ['User ' + name],
      objectGUID: [guid()]
    },
    password: 'pw-' + name
  })
}
entries.push({ dn: 'OU=people,' + base, attributes: { objectClass: ['organizationalUnit'], ou: ['people'] } })
entries.push({ dn: 'OU=groups,' + base, attributes: { objectClass: ['organizationalUnit'], ou: ['groups'] } })
entries.push({ dn: base, attributes: { objectClass: ['domain'], dc: ['range'] } })
for (const [name, members] of [['big', users], ['small', users.slice(0, 3)]]) {
  entries.push({
    dn: 'CN=' + name + ',OU=groups,' + base,
    attributes: { objectClass: ['top', 'group'], cn: [name], sAMAccountName: [name], member: members, objectGUID: [guid()] }
  })
}
const byDn = new Map(entries.map((e) => [e.dn.toLowerCase(), e]))

function norm (dn) { return dn.toString().replace(/,\s+/g, ',').toLowerCase() }
function isUnder (dn, baseDn) { return dn === baseDn || dn.endsWith(',' + baseDn) }
function depth (dn) { return dn.split(',').length }

// The values of one requested attribute as AD sends them: [name to send, values] or null.
function rangedValues (entry, requested) {
  const m = /^([^;]+)(?:;range=(\d+)-(\d+|\*))?$/i.exec(requested)
  if (!m) return null
  const key = Object.keys(entry.attributes).find((k) => k.toLowerCase() === m[1].toLowerCase())
  if (!key) return null
  const all = entry.attributes[key]
  const explicit = m[2] !== undefined
  if (!explicit && all.length <= maxValRange) return [key, all]
  const low = explicit ? Number(m[2]) : 0
  const askedHigh = !explicit || m[3] === '*' ? Infinity : Number(m[3])
  if (low >= all.length) return [key + ';range=' + low + '-*', []]
  const high = Math.min(askedHigh, low + maxValRange - 1, all.length - 1)
  const last = high === all.length - 1
  return [key + ';range=' + low + '-' + (last ? '*' : String(high)), all.slice(low, high + 1)]
}

const server = ldap.createServer()

server.bind('', (req, res, next) => {
  const dn = norm(req.dn)
  const password = req.credentials
  const entry = byDn.get(dn)
  const ok = (dn === serviceDn.toLowerCase() && password === 'svc-pw') || (entry && entry.password === password)
  if (!ok) return next(new ldap.InvalidCredentialsError('80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563'))
  res.end()
  return next()
})

server.search('', (req, res, next) => {
  const baseDn = norm(req.dn)
  if (baseDn !== '' && !byDn.has(baseDn)) return next(new ldap.NoSuchObjectError(req.dn.toString()))
  const scope = req.scopeName // 'base' | 'single' | 'subtree'
  const requested = (req.attributes || []).map(String)
  const wantsAll = requested.length === 0 || requested.includes('*')
  res.attributes = [] // ldapjs would drop every name not requested verbatim ("member;range=0-1499")
  for (const entry of entries) {
    const dn = entry.dn.toLowerCase()
    if (scope === 'base' && dn !== baseDn) continue
    if (scope === 'single' && !(isUnder(dn, baseDn) && depth(dn) === depth(baseDn) + 1)) continue
    if (scope === 'subtree' && !isUnder(dn, baseDn)) continue
    const textual = {}
    for (const [k, v] of Object.entries(entry.attributes)) if (k !== 'objectGUID') textual[k] = v
    if (!req.filter.matches(textual, false)) continue
    const out = {}
    const names = wantsAll ? Object.keys(entry.attributes) : requested.filter((a) => a !== '1.1')
    for (const name of names) {
      const r = rangedValues(entry, name)
      if (r) out[r[0]] = r[1]
    }
    res.send({ dn: entry.dn, attributes: out }, true)
  }
  res.end()
  return next()
})

// A request it cannot parse is logged; the server stays up for the other tests.
server.on('error', (e) => { console.error(e.message) })

server.listen(port, '127.0.0.1', () => { console.log('listening') })
