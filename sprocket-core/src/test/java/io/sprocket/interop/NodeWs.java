package io.sprocket.interop;

import io.sprocket.testkit.PeerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket peer that knows nothing of SP: node with the npm package {@code ws}, installed on first use into
 * {@code target/node-ws} ({@code npm install --prefix}), running a small script written there. It prints one line
 * per event, so a test waits on its output:
 *
 * <ul>
 *   <li>{@code client URL SUBPROTOCOL FILE [DEFLATE]}: connects offering one subprotocol, prints
 *   {@code extensions <agreed extensions or ->} and {@code open <subprotocol>}, sends the file as one binary
 *   message, then prints each message it receives ({@link #received}); {@code refused <status>} if the upgrade is
 *   refused, {@code close <code>} when the connection closes. {@code DEFLATE} is the JSON of the package's
 *   {@code perMessageDeflate} option ({@code false}, or an object such as {@code {"threshold":0}}); without it the
 *   package's default, which offers permessage-deflate.</li>
 *   <li>{@code server echo|noecho [DEFLATE]}: listens on 127.0.0.1, an ephemeral port ({@code listening <port>});
 *   for each connection prints {@code extensions <agreed or ->} and {@code connected <subprotocol> <path>} and
 *   sends every message back as it came. {@code echo} answers with the subprotocol the client asked for,
 *   {@code noecho} with none. {@code DEFLATE} as for the client; without it, no permessage-deflate.</li>
 * </ul>
 *
 * Without node, npm or the package (no registry): fails on CI ({@code CI=true}), skips elsewhere.
 */
final class NodeWs {
    /** The {@code ws} major version the script is written for. */
    private static final String PACKAGE = "ws@8";
    private static final Path DIR = Path.of("target", "node-ws").toAbsolutePath();
    private static final String SCRIPT = """
            'use strict';
            // A plain WebSocket peer for Sprocket's interop tests: one line on stdout per event.
            const WebSocket = require('ws');
            const crypto = require('crypto');
            const fs = require('fs');
            const [mode, ...args] = process.argv.slice(2);
            const say = (line) => process.stdout.write(line + '\\n');
            const digest = (data, isBinary) => (isBinary ? 'binary ' : 'text ') + data.length + ' '
                + crypto.createHash('sha256').update(data).digest('hex');

            if (mode === 'client') {
              const [url, protocol, file, deflate] = args;
              const ws = new WebSocket(url, [protocol],
                deflate === undefined ? {} : {perMessageDeflate: JSON.parse(deflate)});
              ws.on('open', () => {
                say('extensions ' + (ws.extensions || '-'));
                say('open ' + ws.protocol);
                ws.send(fs.readFileSync(file), {binary: true});
              });
              ws.on('message', (data, isBinary) => say(digest(data, isBinary)));
              ws.on('unexpected-response', (req, res) => { say('refused ' + res.statusCode); process.exit(3); });
              ws.on('close', (code) => { say('close ' + code); process.exit(0); });
              ws.on('error', (e) => say('error ' + e.message));
            } else if (mode === 'server') {
              const echo = args[0] === 'echo';
              const wss = new WebSocket.Server({host: '127.0.0.1', port: 0,
                handleProtocols: (protocols) => echo ? protocols.values().next().value : false,
                perMessageDeflate: args[1] === undefined ? false : JSON.parse(args[1])});
              wss.on('listening', () => say('listening ' + wss.address().port));
              wss.on('connection', (ws, req) => {
                say('extensions ' + (ws.extensions || '-'));
                say('connected ' + (ws.protocol || '-') + ' ' + req.url);
                ws.on('message', (data, isBinary) => {
                  say(digest(data, isBinary));
                  ws.send(data, {binary: isBinary});
                });
                ws.on('close', (code) => say('close ' + code));
              });
            } else {
              console.error('usage: client URL SUBPROTOCOL FILE [DEFLATE] | server echo|noecho [DEFLATE]');
              process.exit(2);
            }
            """;
    private static Path script;

    private NodeWs() {
    }

    /** Starts the script in {@code mode} with {@code args}, installing the package first if needed. */
    static PeerProcess start(String mode, String... args) {
        List<String> a = new ArrayList<>();
        a.add(install().toString());
        a.add(mode);
        a.addAll(List.of(args));
        return PeerProcess.start("node", a);
    }

    /** The line the script prints for a binary message {@code body}. */
    static String received(byte[] body) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(body);
            return "binary " + body.length + " " + HexFormat.of().formatHex(sha) + "\n";
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static synchronized Path install() {
        if (script != null) {
            return script;
        }
        PeerProcess.require("node");
        Path npm = PeerProcess.require("npm");
        try {
            Files.createDirectories(DIR);
            if (!Files.isRegularFile(DIR.resolve("node_modules/ws/package.json"))) {
                Path log = DIR.resolve("npm-install.log");
                Process p = new ProcessBuilder(npm.toString(), "install", "--prefix", DIR.toString(), "--no-audit",
                        "--no-fund", "--no-progress", PACKAGE).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null")
                                .toFile())).start();
                boolean exited = p.waitFor(120, TimeUnit.SECONDS);
                if (!exited) {
                    p.destroyForcibly();
                }
                if (!exited || p.exitValue() != 0) {
                    throw PeerProcess.unavailable("npm install " + PACKAGE + " into " + DIR + " failed"
                            + (exited ? "" : " (no end within 120 s)") + "; is the npm registry reachable?\n"
                            + Files.readString(log, StandardCharsets.UTF_8));
                }
            }
            Path s = DIR.resolve("sp-ws-peer.js");
            Files.writeString(s, SCRIPT, StandardCharsets.UTF_8);
            script = s;
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted installing " + PACKAGE, e);
        }
    }
}
