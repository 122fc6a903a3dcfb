// The page of `sprocket demo`: four SP sockets of sprocket.js, one per box, dialling the gateway that served it.
import { Socket } from '/sprocket.js';

const base = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
const decoder = new TextDecoder();
const $ = (id) => document.getElementById(id);

const ADJECTIVES = ['Amber', 'Brave', 'Calm', 'Clever', 'Coral', 'Swift', 'Jolly', 'Lucky', 'Mellow', 'Misty',
  'Quiet', 'Rapid', 'Sunny', 'Teal', 'Witty', 'Zesty'];
const ANIMALS = ['Badger', 'Crane', 'Dolphin', 'Falcon', 'Gecko', 'Heron', 'Koala', 'Lynx', 'Marmot', 'Narwhal',
  'Otter', 'Panda', 'Puffin', 'Quokka', 'Tiger', 'Wombat'];
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const me = `${pick(ADJECTIVES)} ${pick(ANIMALS)}`;
$('me-name').textContent = me;

/** All sockets, for the header's summary. */
const sockets = [];

/** Shows a socket's state on its box (data-sprocket-state) and in the header. */
function track(socket, box) {
  const show = () => {
    box.dataset.sprocketState = socket.state;
    box.querySelector('.state').textContent = socket.state;
    const open = sockets.filter((s) => s.state === 'open').length;
    $('summary').textContent = `${open} of ${sockets.length} sockets open`;
  };
  sockets.push(socket);
  for (const type of ['pipe', 'pipeclose', 'dialerror', 'close']) {
    socket.addEventListener(type, show);
  }
  show();
}

/** Dials in the background: the socket reconnects by itself whenever the gateway is away. */
function open(protocol, path, box, options = {}) {
  const socket = new Socket(protocol, options);
  track(socket, box);
  socket.dial(base + path, { wait: false }).catch((e) => note(box, e));
  return socket;
}

/** Shows an unexpected error in a box (never only in the console). */
function note(box, e) {
  const el = box.querySelector('.card-head .state');
  el.title = String(e && e.message ? e.message : e);
}

// ---- live signal (SUB) ----

const chart = { wave: [], noisy: [], span: 30, t: 0 };
const canvas = $('chart');
let drawPending = false;
let updates = 0;

function scheduleDraw() {
  if (!drawPending) {
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      draw();
    });
  }
}

function draw() {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const left = 34;
  const right = 12;
  const top = 8;
  const bottom = 22;
  const pw = w - left - right;
  const ph = h - top - bottom;
  const x = (t) => left + pw * (1 - (chart.t - t) / chart.span);
  const y = (v) => top + ph * (1 - Math.min(100, Math.max(0, v)) / 100);
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#6b7185';
  g.strokeStyle = '#e4e6ef';
  g.lineWidth = 1;
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (let v = 0; v <= 100; v += 25) {
    g.beginPath();
    g.moveTo(left, Math.round(y(v)) + 0.5);
    g.lineTo(left + pw, Math.round(y(v)) + 0.5);
    g.stroke();
    g.fillText(String(v), left - 8, y(v));
  }
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (let s = 0; s <= chart.span; s += 5) {
    g.fillText(s === 0 ? 'now' : `-${s}s`, left + pw * (1 - s / chart.span), top + ph + 6);
  }
  g.save();
  g.beginPath();
  g.rect(left, 0, pw + right, h); // the oldest point may lie just before -30s
  g.clip();
  line(g, chart.noisy, x, y, '#f08a24', false, top + ph);
  line(g, chart.wave, x, y, '#4f46e5', true, top + ph);
  g.restore();
}

function line(g, points, x, y, color, fill, floor) {
  if (points.length < 2) {
    return;
  }
  g.beginPath();
  points.forEach(([t, v], i) => (i === 0 ? g.moveTo(x(t), y(v)) : g.lineTo(x(t), y(v))));
  if (fill) {
    const [t0] = points[0];
    const [tn] = points[points.length - 1];
    g.save();
    g.lineTo(x(tn), floor);
    g.lineTo(x(t0), floor);
    g.closePath();
    const grad = g.createLinearGradient(0, y(100), 0, floor);
    grad.addColorStop(0, 'rgba(79, 70, 229, 0.20)');
    grad.addColorStop(1, 'rgba(79, 70, 229, 0.00)');
    g.fillStyle = grad;
    g.fill();
    g.restore();
    g.beginPath();
    points.forEach(([t, v], i) => (i === 0 ? g.moveTo(x(t), y(v)) : g.lineTo(x(t), y(v))));
  }
  g.strokeStyle = color;
  g.lineWidth = 2;
  g.lineJoin = 'round';
  g.stroke();
  const [tl, vl] = points[points.length - 1];
  g.beginPath();
  g.arc(x(tl), y(vl), 3.5, 0, Math.PI * 2);
  g.fillStyle = color;
  g.fill();
}

function onSignal(s) {
  chart.t = s.t;
  chart.wave.push([s.t, s.wave]);
  chart.noisy.push([s.t, s.noisy]);
  while (chart.wave.length && chart.wave[0][0] < s.t - chart.span - 1) {
    chart.wave.shift();
    chart.noisy.shift();
  }
  $('wave-value').textContent = s.wave.toFixed(1);
  $('noisy-value').textContent = s.noisy.toFixed(1);
  updates++;
  const box = $('feed');
  box.dataset.points = String(chart.wave.length);
  box.dataset.lastT = String(s.t);
  scheduleDraw();
}

function onStats(s) {
  $('stat-heap').textContent = `${s.heapMb.toFixed(1)} MB`;
  $('stat-threads').textContent = String(s.threads);
  $('stat-rate').textContent = String(s.rate);
  $('stat-browsers').textContent = String(s.browsers);
  const m = Math.floor(s.uptime / 60);
  $('stat-uptime').textContent = `${m}:${String(s.uptime % 60).padStart(2, '0')}`;
}

setInterval(() => {
  $('updates').textContent = String(updates);
  updates = 0;
}, 1000);
window.addEventListener('resize', scheduleDraw);
document.addEventListener('visibilitychange', scheduleDraw); // hidden tabs get no animation frames

const feed = open('sub0', '/feed', $('feed'));
feed.subscribe('signal ');
feed.subscribe('stats ');
(async () => {
  for await (const body of feed) {
    const text = decoder.decode(body);
    const space = text.indexOf(' ');
    const topic = text.slice(0, space);
    const data = JSON.parse(text.slice(space + 1));
    if (topic === 'signal') {
      onSignal(data);
    } else if (topic === 'stats') {
      onStats(data);
    }
  }
})().catch((e) => note($('feed'), e));

// ---- ask a Java service (REQ) ----

const req = open('req0', '/rpc', $('rpc'), { recvTimeout: 5000, resendTime: 2000 });
const rpcForm = $('rpc-form');
rpcForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('rpc-input').value;
  const button = rpcForm.querySelector('button');
  const answer = $('rpc-answer');
  button.disabled = true;
  const started = performance.now();
  try {
    await req.send(text);
    const reply = JSON.parse(decoder.decode(await req.receive()));
    const ms = performance.now() - started;
    answer.className = 'answer';
    answer.replaceChildren(
      el('div', 'big', reply.upper),
      el('div', '', `reversed: ${reply.reversed}`),
      el('div', 'facts', `${reply.chars} characters, ${reply.words} words · answered by ${reply.by} at ${reply.at}`
        + ` · ${ms.toFixed(1)} ms round trip`));
    answer.dataset.reply = reply.upper;
    const item = el('li', '', '');
    item.append(el('span', '', text || '(empty)'), el('span', 'ms', `${ms.toFixed(1)} ms`));
    const history = $('rpc-history');
    history.prepend(item);
    while (history.children.length > 4) {
      history.lastChild.remove();
    }
  } catch (e) {
    answer.className = 'answer error';
    answer.textContent = `No answer: ${e.code ?? ''} ${e.message}`;
  } finally {
    button.disabled = false;
  }
});

// a first question as soon as the service is reachable, so that the box shows what it does
req.addEventListener('pipe', () => rpcForm.requestSubmit(), { once: true });

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) {
    e.className = className;
  }
  e.textContent = text;
  return e;
}

// ---- chat between tabs (BUS) ----

const chat = open('bus0', '/chat', $('chat'));
const hue = Math.floor(Math.random() * 360);

function addChat(message, mine) {
  const log = $('chat-log');
  log.querySelector('.hint')?.remove();
  const item = el('li', mine ? 'mine' : '', '');
  const who = el('span', 'who', String(message.name).slice(0, 40));
  who.style.color = `hsl(${Number(message.hue) || 0} 60% 42%)`;
  item.append(who, document.createTextNode(String(message.text).slice(0, 200)));
  log.append(item);
  while (log.children.length > 100) {
    log.firstChild.remove();
  }
  log.scrollTop = log.scrollHeight;
}

$('chat-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('chat-input');
  const text = input.value.trim();
  if (!text) {
    return;
  }
  const message = { name: me, hue, text };
  input.value = '';
  addChat(message, true);
  try {
    await chat.send(JSON.stringify(message));
  } catch (e) {
    note($('chat'), e);
  }
});

(async () => {
  for await (const body of chat) {
    try {
      addChat(JSON.parse(decoder.decode(body)), false);
    } catch {
      // not a chat message of this page: skip it
    }
  }
})().catch((e) => note($('chat'), e));

// ---- who is here (RESPONDENT) ----

const presence = open('respondent0', '/presence', $('presence'));
(async () => {
  for await (const body of presence) {
    const survey = JSON.parse(decoder.decode(body));
    await presence.send(me);
    $('presence-count').textContent = String(survey.count);
    $('presence').dataset.count = String(survey.count);
    const names = $('presence-names');
    names.replaceChildren(...survey.names.map((n) => el('li', n === me ? 'mine' : '', n)));
  }
})().catch((e) => note($('presence'), e));
