// The badge check page (/verify/): reads a badge in the browser and compares what it
// claims with this catalog's /catalog.json.
//
// Nothing is uploaded and no other site is asked: the only request is for
// catalog.json, on this site. Read: an Open Badges 2.0 assertion (JSON, a signed
// JWS, baked into a PNG iTXt chunk "openbadges" or an SVG <openbadges:assertion>)
// and an Open Badges 3.0 credential (JSON, a JWT whose payload is the credential or
// holds it under "vc", baked into a PNG iTXt chunk "openbadgecredential" or an SVG
// <openbadges:credential>). Every text taken from a badge is shown with textContent,
// never as HTML, and only this catalog's own addresses become links.
//
// Without JavaScript the page explains how to check a badge by hand; this script
// shows the form.

const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];
const STATUS = {
  active: ["Active", "open to new learners"],
  suspended: ["Suspended", "not open to new learners; badges already earned stay valid"],
  closed: ["Closed", "no longer offered; badges already earned stay valid"],
  proposed: ["Proposed, not yet approved", "not yet approved or offered"],
};
const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const PNG_KEYWORDS = { openbadges: "Open Badges 2.0", openbadgecredential: "Open Badges 3.0" };
const SVG_ELEMENTS = [
  ["http://openbadges.org", "assertion"],
  ["https://purl.imsglobal.org/ob/v3p0", "credential"],
];
const SHOWN_CHARS = 300;

const checker = document.getElementById("checker");
const form = document.getElementById("check-form");
const fileInput = document.getElementById("badge-file");
const textInput = document.getElementById("badge-text");
const statusLine = document.getElementById("check-status");
const resultSection = document.getElementById("check-result");
const details = document.getElementById("check-details");
const MAX_BYTES = Number(checker.dataset.maxBytes) || 4 * 1024 * 1024;
const BASE = checker.dataset.base.replace(/\/*$/, "/");
const ROOT = checker.dataset.root.replace(/\/*$/, "/");

class BadgeError extends Error {}

// --- small helpers ---------------------------------------------------------------

function megabytes(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;
}

function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function list(value) {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

function text(value) {
  if (typeof value === "string") {
    return value.length > SHOWN_CHARS ? `${value.slice(0, SHOWN_CHARS)}…` : value;
  }
  return typeof value === "number" && Number.isFinite(value) ? String(value) : "";
}

function idOf(value) {
  if (typeof value === "string") return value;
  return isObject(value) && typeof value.id === "string" ? value.id : "";
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === "") continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** A site address of this catalog as a link on this site (only our own URLs become links). */
function localLink(url, label) {
  const href = url.startsWith(BASE) ? ROOT + url.slice(BASE.length) : url;
  return element("a", { href }, label);
}

/** The comparable part of an address: host and path, without scheme, query or fragment. */
function addressKey(value) {
  if (typeof value !== "string" || value.length > 2000) return null;
  try {
    const url = new URL(value.trim());
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return url.host.toLowerCase() + url.pathname.replace(/index\.html$/, "");
  } catch {
    return null;
  }
}

function dateOf(value) {
  if (typeof value === "number" && Number.isFinite(value)) value = new Date(value * 1000);
  else if (typeof value === "string" && value.length <= 64) value = new Date(value);
  else return null;
  return Number.isNaN(value.getTime()) ? null : value;
}

function dateNode(value) {
  const day = dateOf(value);
  if (!day) return text(value) ? `${text(value)} (not a date this page can read)` : "";
  const words = `${MONTHS[day.getUTCMonth()]} ${day.getUTCDate()}, ${day.getUTCFullYear()}`;
  return element("time", { datetime: day.toISOString() }, words);
}

// --- reading the input: bytes or text to one badge document ----------------------

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeText(bytes, what) {
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new BadgeError(`${what} is not UTF-8 text, so it is not a badge this page can read.`);
  }
}

let crcTable = null;

function crc32(bytes) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function damaged(why) {
  return new BadgeError(`This PNG image is damaged: ${why}. No badge was read from it.`);
}

function fromPng(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  while (offset < bytes.length) {
    if (offset + 12 > bytes.length) throw damaged("its last chunk is cut short");
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw damaged(`a chunk at byte ${offset} has no valid type`);
    const end = offset + 12 + length;
    if (end > bytes.length) {
      throw damaged(
        `its “${type}” chunk says it is ${length} bytes long, which runs past the end of the file`,
      );
    }
    if (type === "iTXt") {
      const found = fromItxt(bytes.subarray(offset + 8, offset + 8 + length));
      if (found) {
        if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== view.getUint32(end - 4)) {
          throw damaged("the checksum of its badge chunk does not match");
        }
        return found;
      }
    }
    if (type === "IEND") break;
    offset = end;
  }
  throw new BadgeError(
    "This PNG image has no badge baked into it: it has no iTXt chunk named “openbadges” " +
      "(Open Badges 2.0) or “openbadgecredential” (Open Badges 3.0). Ask for the badge as a " +
      "file from its badge platform, or open the badge's page there.",
  );
}

function fromItxt(data) {
  const zero = data.indexOf(0);
  if (zero < 1 || zero > 79) return null;
  const keyword = String.fromCharCode(...data.subarray(0, zero));
  if (!(keyword in PNG_KEYWORDS)) return null;
  if (data.length < zero + 3) throw damaged("its badge chunk is cut short");
  if (data[zero + 1] !== 0) {
    throw new BadgeError(
      "The badge baked into this PNG image is compressed, which Open Badges baking does not " +
        "allow; ask the badge platform for the badge again.",
    );
  }
  const language = data.indexOf(0, zero + 3);
  const translated = language < 0 ? -1 : data.indexOf(0, language + 1);
  if (translated < 0) throw damaged("its badge chunk is cut short");
  return {
    text: decodeText(data.subarray(translated + 1), "The badge baked into this PNG image"),
    container: "baked into a PNG image",
  };
}

function fromSvg(source) {
  const svg = new DOMParser().parseFromString(source, "image/svg+xml");
  if (svg.getElementsByTagName("parsererror").length) {
    throw new BadgeError("This SVG image is not well-formed XML, so no badge could be read from it.");
  }
  for (const [namespace, name] of SVG_ELEMENTS) {
    const node = svg.getElementsByTagNameNS(namespace, name)[0];
    if (!node) continue;
    const inside = node.textContent.trim();
    const hosted = node.getAttribute("verify") || "";
    return { text: inside || hosted, container: "baked into an SVG image" };
  }
  throw new BadgeError(
    "This SVG image has no badge baked into it: it has no <openbadges:assertion> or " +
      "<openbadges:credential> element.",
  );
}

function fromBytes(bytes) {
  if (PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return fromPng(bytes);
  const source = decodeText(bytes, "This file");
  if (/^\s*</.test(source)) return fromSvg(source);
  return { text: source, container: "" };
}

function base64url(part) {
  const plain = part.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(plain + "=".repeat((4 - (plain.length % 4)) % 4)), (c) =>
    c.charCodeAt(0),
  );
  return JSON.parse(decodeText(bytes, "The JWT"));
}

function parseJson(source, what) {
  try {
    return JSON.parse(source);
  } catch {
    throw new BadgeError(`${what} is not valid JSON, so it is not a badge this page can read.`);
  }
}

/** The badge document in ``source``: JSON, a JWT/JWS, or only the address of a hosted badge. */
function parseBadge(source) {
  const trimmed = source.trim();
  if (/^[[{]/.test(trimmed)) return { document: parseJson(trimmed, "This text"), signed: "" };
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(trimmed)) {
    const [header, payload, signature] = trimmed.split(".");
    let claims;
    try {
      base64url(header);
      claims = base64url(payload);
    } catch {
      throw new BadgeError("This looks like a JWT, but its parts are not base64url-encoded JSON.");
    }
    if (!isObject(claims)) throw new BadgeError("This JWT's payload is not a JSON object.");
    const document = isObject(claims.vc) ? claims.vc : claims;
    return { document, jwt: claims, signed: signature ? "a JWT signature" : "" };
  }
  if (/^https?:\/\/\S+$/.test(trimmed)) return { hosted: trimmed };
  throw new BadgeError(
    "This is not a badge this page can read: expected Open Badges JSON, a JWT, or a badge " +
      "image (PNG or SVG) with the badge baked in.",
  );
}

// --- what the badge claims --------------------------------------------------------

function recipientOb2(document) {
  const recipient = isObject(document.recipient) ? document.recipient : {};
  const profile = document["extensions:recipientProfile"];
  const name = isObject(profile) ? text(profile.name) : "";
  const identity = text(recipient.identity);
  const kind = text(recipient.type) || "identity";
  let stated = "";
  if (identity && (recipient.hashed === true || /^(sha256|md5)\$/.test(identity))) {
    stated = `hashed ${kind}: ${identity}${text(recipient.salt) ? ` (salt “${text(recipient.salt)}”)` : ""}`;
  } else if (identity) {
    stated = `${kind}: ${identity}`;
  }
  return [name, stated].filter(Boolean);
}

function recipientOb3(subject) {
  const stated = [];
  if (text(subject.name)) stated.push(text(subject.name));
  for (const item of list(subject.identifier).slice(0, 5)) {
    if (!isObject(item)) continue;
    const kind = text(item.identityType) || "identity";
    const value = text(item.identityHash);
    if (value) stated.push(item.hashed === true ? `hashed ${kind}: ${value}` : `${kind}: ${value}`);
  }
  if (!stated.length && text(subject.id)) stated.push(`identifier: ${text(subject.id)}`);
  return stated;
}

function claimsOf(parsed) {
  const { document, jwt } = parsed;
  if (!isObject(document)) throw new BadgeError("This JSON is not an object, so it is not a badge.");
  const types = list(document.type).filter((t) => typeof t === "string");
  if (types.includes("Assertion") || (document.recipient && document.badge)) {
    const badge = document.badge;
    const badgeObject = isObject(badge) ? badge : {};
    const signed = isObject(document.verification) && document.verification.type === "SignedBadge";
    return {
      kind: "Open Badges 2.0 assertion",
      awarded: true,
      name: text(badgeObject.name),
      ids: [idOf(badge)],
      criteria: [idOf(badgeObject.criteria)],
      issuer: badgeObject.issuer ?? null,
      issuerViaClass: typeof badge === "string",
      recipient: recipientOb2(document),
      issued: document.issuedOn,
      expires: document.expires,
      signed: parsed.signed || (signed ? "a signature (SignedBadge)" : ""),
      revoked: document.revoked === true,
      statusList: false,
      id: text(document.id),
    };
  }
  if (
    types.some((t) => ["OpenBadgeCredential", "AchievementCredential", "VerifiableCredential"].includes(t)) ||
    document.credentialSubject
  ) {
    const subject = list(document.credentialSubject).find(isObject) || {};
    const achievement = isObject(subject.achievement) ? subject.achievement : {};
    return {
      kind: "Open Badges 3.0 credential",
      awarded: true,
      name: text(achievement.name) || text(document.name),
      ids: [idOf(subject.achievement)],
      criteria: [idOf(achievement.criteria)],
      issuer: document.issuer ?? null,
      issuerViaClass: false,
      recipient: recipientOb3(subject),
      issued: document.validFrom ?? document.issuanceDate ?? jwt?.nbf,
      expires: document.validUntil ?? document.expirationDate ?? jwt?.exp,
      signed: parsed.signed || (document.proof ? "a proof (Data Integrity)" : ""),
      revoked: false,
      statusList: Boolean(document.credentialStatus),
      id: text(document.id),
    };
  }
  if (types.includes("BadgeClass") || types.includes("Achievement")) {
    return {
      kind: types.includes("BadgeClass") ? "Open Badges 2.0 BadgeClass" : "Open Badges 3.0 Achievement",
      awarded: false,
      name: text(document.name),
      ids: [idOf(document)],
      criteria: [idOf(document.criteria)],
      issuer: document.issuer ?? document.creator ?? null,
      issuerViaClass: false,
      recipient: [],
      signed: "",
      revoked: false,
      statusList: false,
      id: text(document.id),
    };
  }
  throw new BadgeError(
    "This JSON is not an Open Badges assertion (2.0) or credential (3.0): it has no badge, " +
      "recipient or credentialSubject.",
  );
}

// --- this catalog -----------------------------------------------------------------

let catalogIndex = null;

function indexCatalog(catalog) {
  const addresses = new Map();
  const issuers = new Map();
  const institutions = new Map();
  const add = (url, entry) => {
    const key = addressKey(url);
    if (key && !addresses.has(key)) addresses.set(key, entry);
  };
  for (const institution of catalog.institutions) {
    institutions.set(institution.id, institution);
    for (const url of [institution.issuer, institution.profile]) {
      const key = addressKey(url);
      if (key) issuers.set(key, institution);
    }
  }
  const slugs = new Set(catalog.credentials.map((c) => c.slug));
  for (const credential of catalog.credentials) {
    const current = credential.versions[credential.versions.length - 1];
    const own = [[credential.url, null], [credential.badgeclass, current], [credential.achievement, current]];
    for (const version of credential.versions) {
      own.push([version.badgeclass, version], [version.achievement, version], [version.criteria_url, version]);
    }
    // A renamed credential's badges carry its earlier slug's addresses, which still serve.
    const renamed = (credential.redirect_from || []).filter((old) => !slugs.has(old));
    for (const [url, version] of own) {
      add(url, { credential, version });
      for (const old of renamed) {
        const oldUrl = url.replace(`/credentials/${credential.slug}/`, `/credentials/${old}/`);
        add(oldUrl, { credential, version });
      }
    }
  }
  return { addresses, issuers, institutions };
}

async function loadCatalog() {
  if (!catalogIndex) {
    const response = await fetch(checker.dataset.catalog, { credentials: "same-origin" });
    if (!response.ok) throw new BadgeError("This catalog's list of micro-credentials could not be loaded; try again later.");
    catalogIndex = indexCatalog(await response.json());
  }
  return catalogIndex;
}

function findInCatalog(index, claims) {
  for (const url of [...claims.ids, ...claims.criteria]) {
    const found = index.addresses.get(addressKey(url));
    if (found) return found;
  }
  return null;
}

// --- showing the result -----------------------------------------------------------

function row(list, term, ...value) {
  list.append(element("div", {}, element("dt", {}, term), element("dd", {}, ...value)));
}

function issuerText(issuer) {
  const name = isObject(issuer) ? text(issuer.name) : "";
  const id = text(idOf(issuer));
  return name && id ? `${name} (${id})` : name || id;
}

function issuerRow(facts, claims, index, match) {
  const named = index.issuers.get(addressKey(idOf(claims.issuer)));
  const expected = match ? index.institutions.get(match.credential.institution) : null;
  if (claims.issuerViaClass && match) {
    row(facts, "Issuer", `${expected.name}, named by the badge class at this catalog's address, which the badge points to.`);
  } else if (claims.issuerViaClass) {
    row(facts, "Issuer", "Stated in the badge class the badge names by its address, on another site, which this page does not ask.");
  } else if (!claims.issuer) {
    row(facts, "Issuer", "The badge does not name its issuer.");
  } else if (named && expected && named.id === expected.id) {
    row(facts, "Issuer", `${named.name}: this catalog's issuer of this micro-credential.`);
  } else if (named && expected) {
    row(facts, "Issuer", `The badge names ${named.name}, but this micro-credential is issued by ${expected.name}.`);
  } else if (named) {
    row(facts, "Issuer", `${named.name}, one of this catalog's institutions.`);
  } else {
    const also = expected
      ? ` A badge issued through a badge platform may name the platform's profile of ${expected.name}; the platform or ${expected.name} can confirm it.`
      : "";
    row(facts, "Issuer", `The badge names ${issuerText(claims.issuer) || "an issuer"}, which is not an institution of this catalog.${also}`);
  }
}

function statusNode(credential) {
  const [label, note] = STATUS[credential.status] || [text(credential.status), ""];
  return note ? `${label}: ${note}.` : `${label}.`;
}

function versionNodes(match) {
  const { credential, version } = match;
  const current = credential.versions[credential.versions.length - 1];
  if (!version) {
    return [
      "The badge points to the micro-credential's page, not to one criteria version. The current criteria are ",
      localLink(current.criteria_url, `version ${current.version}`),
      ".",
    ];
  }
  const nodes = [localLink(version.criteria_url, `Version ${version.version}`)];
  if (version.effective) nodes.push(", effective ", dateNode(version.effective));
  if (version.version === current.version) nodes.push(": the current version.");
  else nodes.push(": an earlier version; the current one is ", localLink(current.criteria_url, `version ${current.version}`), ".");
  return nodes;
}

function expiryNode(value) {
  if (value === undefined || value === null || value === "") return "Not stated: the badge does not expire.";
  const day = dateOf(value);
  if (!day) return dateNode(value);
  return element("span", {}, dateNode(value), day.getTime() < Date.now() ? " (this date has passed: the badge has expired)" : "");
}

function authenticityNote(claims) {
  const signed = claims.signed
    ? `The badge carries ${claims.signed}, which this page does not check. `
    : "The badge carries no signature that this page could see. ";
  return element(
    "p",
    { class: "hint" },
    "This page compares what the badge claims with the criteria published here. ",
    signed,
    "Whether the badge is genuine and not revoked is shown by the platform that issued it: open the badge's page on that platform or in the earner's wallet, or ask the college or university named on this page.",
  );
}

function render(claims, match, index, container) {
  details.replaceChildren();
  let verdict;
  if (match) {
    const version = match.version ? `, criteria version ${match.version.version}` : "";
    const what = claims.awarded ? "Issued under this catalog's criteria" : `The ${claims.kind} of a micro-credential in this catalog`;
    verdict = `${what}: ${match.credential.title}${version}.`;
  } else {
    verdict = "Not issued from this catalog.";
  }
  details.append(element("p", { class: match ? "verdict verdict--found" : "verdict verdict--other" }, element("strong", {}, verdict)));
  if (!match) {
    const named = [claims.name ? `“${claims.name}”` : "", text(claims.ids.find(Boolean))].filter(Boolean).join(", ");
    details.append(
      element("p", {}, `The badge names ${named || "a badge"}, which is not a micro-credential or criteria version published in this catalog, and its criteria are not this catalog's criteria pages.`),
    );
  }
  const facts = element("dl", { class: "facts facts--plain" });
  if (match) {
    const institution = index.institutions.get(match.credential.institution);
    row(facts, "Micro-credential", localLink(match.credential.url, match.credential.title), institution ? `, ${institution.name}` : "");
    row(facts, "Criteria", ...versionNodes(match));
    row(facts, "Status today", statusNode(match.credential));
  } else if (claims.name) {
    row(facts, "Badge name", claims.name);
  }
  issuerRow(facts, claims, index, match);
  if (claims.awarded) {
    row(facts, "Recipient", claims.recipient.length ? claims.recipient.join("; ") : "Not stated in the badge.");
    row(facts, "Issued on", dateNode(claims.issued) || "Not stated in the badge.");
    row(facts, "Expires", expiryNode(claims.expires));
  }
  if (claims.revoked) row(facts, "Revoked", "The badge itself says it has been revoked.");
  row(facts, "Badge file", [claims.kind, container].filter(Boolean).join(", ") + ".");
  if (claims.id) row(facts, "Badge id", claims.id);
  details.append(facts, authenticityNote(claims));
  if (claims.statusList) {
    details.append(element("p", { class: "hint" }, "The badge names a status list, where its platform publishes whether it has been revoked or suspended; this page does not read it."));
  }
  statusLine.textContent = `Checked. ${verdict}`;
  resultSection.hidden = false;
}

function showError(message) {
  details.replaceChildren();
  resultSection.hidden = true;
  statusLine.textContent = message;
}

async function check(read) {
  statusLine.textContent = "Checking…";
  try {
    const { text: source, container } = await read();
    const parsed = parseBadge(source);
    if (parsed.hosted) {
      throw new BadgeError(
        `This badge holds only the address of its assertion, ${text(parsed.hosted)}; this page does not fetch other sites. Open that address, save what it shows and check the saved file here.`,
      );
    }
    const claims = claimsOf(parsed);
    const index = await loadCatalog();
    render(claims, findInCatalog(index, claims), index, container);
  } catch (error) {
    showError(error instanceof BadgeError ? error.message : "This badge could not be read.");
  }
}

function checkFile(file) {
  if (!file) return;
  if (file.size > MAX_BYTES) {
    showError(`This file is ${megabytes(file.size)}; the check reads files of at most ${megabytes(MAX_BYTES)}, and a badge is much smaller. Nothing was read.`);
    return;
  }
  check(async () => fromBytes(new Uint8Array(await file.arrayBuffer())));
}

checker.hidden = false;
fileInput.addEventListener("change", () => checkFile(fileInput.files[0]));
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const source = textInput.value;
  if (!source.trim()) {
    showError("Paste the badge's JSON or JWT text first, or choose a badge file.");
  } else if (source.length > MAX_BYTES) {
    showError(`The pasted text is longer than ${megabytes(MAX_BYTES)}; a badge is much smaller. Nothing was read.`);
  } else {
    check(async () => ({ text: source, container: "" }));
  }
});
document.addEventListener("dragover", (event) => event.preventDefault());
document.addEventListener("drop", (event) => {
  event.preventDefault();
  const file = event.dataTransfer && event.dataTransfer.files[0];
  if (file) checkFile(file);
});
