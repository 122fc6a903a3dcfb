package io.sprocket.transport.tls;

import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM certificates and unencrypted private keys (PKCS#8, PKCS#1 RSA, SEC1 EC) with errors naming the file. */
final class Pem {
    /** A PEM block, with the RFC 1421 headers of OpenSSL's traditional format (group 2) if any. */
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*((?:[A-Za-z][A-Za-z0-9-]*:[^\\r\\n]*\\r?\\n\\s*)*)"
            + "([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** The largest file read (bytes): a CA bundle of every public CA is ~0.2 MiB. */
    static final int MAX_FILE = 16 << 20;
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};
    /** DER of the AlgorithmIdentifier for rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** DER of the OID id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Pem() {
    }

    /** One PEM block; {@code encrypted} if its headers say {@code Proc-Type: 4,ENCRYPTED} (OpenSSL's old form). */
    record Block(String type, byte[] der, boolean encrypted) {
    }

    /** The bytes of a file, or an error naming it. */
    private static byte[] load(Path file, String what) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE) {
                throw bad(what, file, "it has " + size + " bytes, more than a PEM file of certificates or keys should"
                        + " (at most " + MAX_FILE + ")", null);
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw bad(what, file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw bad(what, file, "permission denied", e);
        } catch (IOException e) {
            throw bad(what, file, e.toString(), e);
        }
    }

    /** The PEM blocks of a file. */
    static List<Block> read(Path file, String what) {
        return blocks(load(file, what), file, what);
    }

    /** The PEM blocks of {@code data}, the content of {@code file} (named in errors). */
    static List<Block> blocks(byte[] data, Path file, String what) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(3)),
                        m.group(2).contains("ENCRYPTED")));
            } catch (IllegalArgumentException e) {
                throw bad(what, file, "bad base64 in the " + m.group(1) + " block", e);
            }
        }
        return blocks;
    }

    /** The certificates of a PEM file, in file order; at least one. */
    static X509Certificate[] certificates(Path file, String what) {
        return certificates(load(file, what), file, what);
    }

    /**
     * The certificates of PEM text {@code data}, in order; at least one. {@code file} is only named in errors (the
     * seam the fuzz target feeds bytes through).
     */
    static X509Certificate[] certificates(byte[] data, Path file, String what) {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory cf;
        try {
            cf = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JVM has no X.509 certificate factory", e);
        }
        int n = 0;
        for (Block b : blocks(data, file, what)) {
            if (b.type().equals("CERTIFICATE") || b.type().equals("X509 CERTIFICATE")
                    || b.type().equals("TRUSTED CERTIFICATE")) {
                n++;
                try {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                } catch (CertificateException | RuntimeException e) {
                    throw bad(what, file, "not a valid X.509 certificate: its " + ordinal(n) + " " + b.type()
                            + " block (" + b.der().length + " bytes) does not parse as DER X.509", e);
                }
            }
        }
        if (certs.isEmpty()) {
            throw bad(what, file, "no certificate in it (expected PEM: -----BEGIN CERTIFICATE-----)", null);
        }
        return certs.toArray(X509Certificate[]::new);
    }

    /** The first private key of a PEM file. */
    static PrivateKey privateKey(Path file) {
        return privateKey(load(file, "private key"), file);
    }

    /** The first private key of PEM text {@code data}; {@code file} is only named in errors. */
    static PrivateKey privateKey(byte[] data, Path file) {
        String what = "private key";
        for (Block b : blocks(data, file, what)) {
            if (b.encrypted() && b.type().endsWith("PRIVATE KEY")) {
                throw bad(what, file, "the key is encrypted (Proc-Type: 4,ENCRYPTED); give an unencrypted key (e.g. "
                        + "openssl " + (b.type().startsWith("EC") ? "ec" : "rsa") + " -in " + file.getFileName()
                        + " -out plain.key, or openssl pkcs8 -topk8 -nocrypt)", null);
            }
            switch (b.type()) {
                case "PRIVATE KEY":
                    return pkcs8(b.der(), file);
                case "RSA PRIVATE KEY":
                    return pkcs8(der(0x30, concat(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, der(0x04, b.der()))),
                            file);
                case "EC PRIVATE KEY":
                    return pkcs8(der(0x30, concat(new byte[] {0x02, 0x01, 0x00},
                            der(0x30, concat(EC_OID, curveOf(b.der(), file))), der(0x04, b.der()))), file);
                case "ENCRYPTED PRIVATE KEY":
                    throw bad(what, file, "the key is encrypted; give an unencrypted key (e.g. openssl pkcs8 "
                            + "-topk8 -nocrypt)", null);
                default:
                    break;
            }
        }
        throw bad(what, file, "no private key in it (expected PEM: -----BEGIN PRIVATE KEY-----)", null);
    }

    /** Fails unless {@code key} signs what {@code cert}'s public key verifies. */
    static void checkPair(PrivateKey key, X509Certificate cert, Path keyFile, Path certFile) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        PublicKey pub = cert.getPublicKey();
        boolean match;
        try {
            if (alg == null) {
                return;
            }
            byte[] probe = "sprocket key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(probe);
            match = v.verify(sig);
        } catch (GeneralSecurityException e) {
            match = false;
        }
        if (!match) {
            throw bad("private key", keyFile, "it does not belong to the certificate " + cert.getSubjectX500Principal()
                    + " in " + certFile, null);
        }
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw bad("private key", file, "not a valid RSA, EC or EdDSA private key", null);
    }

    /** The named-curve OID (as DER) in a SEC1 ECPrivateKey's [0] parameters. */
    private static byte[] curveOf(byte[] sec1, Path file) {
        // SEQUENCE { INTEGER 1, OCTET STRING key, [0] { OID curve } OPTIONAL, [1] ... OPTIONAL }
        try {
            int[] seq = header(sec1, 0, sec1.length);
            int i = seq[0];
            int end = seq[0] + seq[1];
            while (i < end) {
                int[] h = header(sec1, i, end);
                if ((sec1[i] & 0xff) == 0xa0) {
                    int[] oid = header(sec1, h[0], h[0] + h[1]);
                    return java.util.Arrays.copyOfRange(sec1, h[0], oid[0] + oid[1]);
                }
                i = h[0] + h[1]; // header() guarantees progress: h[0] > i and h[1] >= 0
            }
        } catch (MalformedDer e) {
            throw bad("private key", file, "the EC PRIVATE KEY block is not valid DER (" + e.getMessage()
                    + "); give an unencrypted PEM key (e.g. from openssl pkcs8 -topk8 -nocrypt)", null);
        }
        throw bad("private key", file, "the EC key names no curve; give a PKCS#8 key (openssl pkcs8 -topk8 -nocrypt)",
                null);
    }

    /** A DER element whose header does not fit the bytes around it. */
    private static final class MalformedDer extends Exception {
        MalformedDer(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * For the DER element at {@code at}, which must lie within {@code limit}: {offset of its content, content
     * length}. Every length is checked against what is there, so a bad one can neither read past the array nor
     * point backwards.
     */
    private static int[] header(byte[] d, int at, int limit) throws MalformedDer {
        if (at < 0 || limit > d.length || at + 2 > limit) {
            throw new MalformedDer("an element header runs past the end at byte " + at);
        }
        int len = d[at + 1] & 0xff;
        int p = at + 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            if (n == 0 || n > 3 || p + n > limit) {
                throw new MalformedDer("a " + n + "-byte length field at byte " + (at + 1));
            }
            len = 0;
            for (int k = 0; k < n; k++) {
                len = len << 8 | (d[p++] & 0xff);
            }
        }
        if (len > limit - p) {
            throw new MalformedDer("an element of " + len + " bytes at byte " + at + " where only " + (limit - p)
                    + " remain");
        }
        return new int[] {p, len};
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static String ordinal(int n) {
        return n == 1 ? "first" : n == 2 ? "second" : n == 3 ? "third" : n + "th";
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static SprocketException bad(String what, Path file, String why, Throwable cause) {
        return new SprocketException(ErrorCode.IO_ERROR, "TLS " + what + " file " + file + ": " + why, cause);
    }
}
