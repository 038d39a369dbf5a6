// The documented flows through the Java binding (doc/bindings.md).
//
//   java DeviceFlow [NONCE]
//
// Root CA, a device under it, a verification certificate for NONCE (default
// 1234ABCD), an individual enrollment's primary and secondary certificates
// (same CN), the device's .pfx with the documented password (1234); then a
// mutual-TLS handshake on 127.0.0.1: the client's SSLContext uses a PKCS12
// KeyStore loaded from the exported bytes; the server requires a client
// certificate, trusts only the root and reports the peer's CN, which must be
// the device ID; a device from another root is refused. Exits non-zero on failure.
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.iotx509.*;

public class DeviceFlow {
  static final String PFX_PASSWORD = "1234"; // what create_test_cert.js and certGen.sh use
  static final String DEVICE_ID = "sample-device-01";

  static Credential identity(Issuer ca, Certlist pool, String id) {
    Key key = Iotx509.key_generate(Iotx509.KEY_P256);
    Cert cert = Iotx509.issue_device(ca, key, id, new IssueOptions());
    return Iotx509.credential_new(cert, key, pool, null);
  }

  static SSLContext context(byte[] pfx, byte[] rootPem) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(new ByteArrayInputStream(pfx), PFX_PASSWORD.toCharArray());
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PFX_PASSWORD.toCharArray());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(rootPem))); // only the root
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    // Present the identity whatever issuers the server names, so that the
    // server (not the client) is the one that refuses a foreign device.
    X509KeyManager km = (X509KeyManager) kmf.getKeyManagers()[0];
    String alias = ks.aliases().nextElement();
    X509KeyManager always = new X509ExtendedKeyManager() {
      public String chooseClientAlias(String[] t, Principal[] i, Socket s) { return alias; }
      public String chooseServerAlias(String t, Principal[] i, Socket s) { return alias; }
      public String chooseEngineServerAlias(String t, Principal[] i, SSLEngine e) { return alias; }
      public String[] getClientAliases(String t, Principal[] i) { return new String[] {alias}; }
      public String[] getServerAliases(String t, Principal[] i) { return new String[] {alias}; }
      public X509Certificate[] getCertificateChain(String a) { return km.getCertificateChain(a); }
      public PrivateKey getPrivateKey(String a) { return km.getPrivateKey(a); }
    };
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(new KeyManager[] {always}, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** One mutual-TLS connection; returns the peer CN the server saw, or null if refused. */
  static String handshake(SSLContext server, SSLContext client) throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ss.setNeedClientAuth(true);
      Thread t = new Thread(() -> {
        try (SSLSocket s = (SSLSocket) ss.accept()) {
          s.startHandshake();
          X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
          String cn = peer.getSubjectX500Principal().getName().replaceAll(".*CN=([^,]*).*", "$1");
          seen.set(cn);
          OutputStream out = s.getOutputStream();
          out.write(("hello " + cn + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        } catch (Exception e) {
          System.out.println("server refused the client: " + e);
        }
      });
      t.start();
      try (SSLSocket c = (SSLSocket) client.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
        c.startHandshake();
        InputStream in = c.getInputStream();
        in.read(new byte[100]);
      } catch (Exception e) {
        // the server closed the connection: refused
      }
      t.join();
    }
    return seen.get();
  }

  public static void main(String[] args) throws Exception {
    String nonce = args.length > 0 ? args[0] : "1234ABCD";
    Iotx509.id_validate_nonce(nonce);
    IssueOptions opts = new IssueOptions();
    Key rootKey = Iotx509.key_generate(Iotx509.KEY_P256);
    Cert root = Iotx509.issue_root(rootKey, "Azure IoT Hub CA Cert Test Only", opts);
    Certlist pool = Iotx509.certlist_new();
    Iotx509.certlist_add(pool, root);
    byte[] rootPem = Iotx509.cert_export_pem(root);
    try (Issuer ca = Iotx509.issuer_new(root, rootKey)) {
      Credential device = identity(ca, pool, DEVICE_ID);

      Cert verification = Iotx509.issue_verification(ca, Iotx509.key_generate(Iotx509.KEY_P256), nonce, opts);
      Integer status = Iotx509.pop_verify(verification, root, nonce, new PopOptions());
      System.out.println("verification certificate for nonce " + nonce + ": " + Iotx509.pop_status_name(status));

      Credential primary = identity(ca, pool, "enrolled-device");
      Credential secondary = identity(ca, pool, "enrolled-device");
      try (Enrollment enr = Iotx509.enrollment_new(Iotx509.ENROLLMENT_INDIVIDUAL, "enrolled-device")) {
        Iotx509.enrollment_set_cert(enr, Iotx509.ENROLLMENT_PRIMARY, Iotx509.credential_get_cert(primary));
        Iotx509.enrollment_set_cert(enr, Iotx509.ENROLLMENT_SECONDARY, Iotx509.credential_get_cert(secondary));
        System.out.println("enrollment " + Iotx509.enrollment_get_name(enr) + ": primary "
            + Iotx509.cert_get_subject_cn(Iotx509.enrollment_get_cert(enr, Iotx509.ENROLLMENT_PRIMARY)) + ", secondary "
            + Iotx509.cert_get_subject_cn(Iotx509.enrollment_get_cert(enr, Iotx509.ENROLLMENT_SECONDARY)));
      }

      byte[] pfx = Iotx509.credential_export_pkcs12(device, PFX_PASSWORD, new Pkcs12Options());
      System.out.println(DEVICE_ID + ".pfx: " + pfx.length + " bytes, password " + PFX_PASSWORD);

      Key serverKey = Iotx509.key_generate(Iotx509.KEY_P256);
      IssueOptions serverOpts = new IssueOptions();
      Strlist names = Iotx509.strlist_new();
      Iotx509.strlist_add(names, "localhost");
      serverOpts.setDns_names(names);
      Credential server = Iotx509.credential_new(Iotx509.issue_server(ca, serverKey, "localhost", serverOpts),
          serverKey, pool, null);
      SSLContext serverCtx = context(Iotx509.credential_export_pkcs12(server, PFX_PASSWORD, new Pkcs12Options()),
          rootPem);

      String cn = handshake(serverCtx, context(pfx, rootPem));
      System.out.println("server saw peer CN " + cn);
      if (!DEVICE_ID.equals(cn)) {
        System.err.println("FAIL: the peer CN is not the device ID");
        System.exit(1);
      }

      Key otherKey = Iotx509.key_generate(Iotx509.KEY_P256);
      Cert otherRoot = Iotx509.issue_root(otherKey, "Another Root", opts);
      Certlist otherPool = Iotx509.certlist_new();
      Iotx509.certlist_add(otherPool, otherRoot);
      Credential stranger = identity(Iotx509.issuer_new(otherRoot, otherKey), otherPool, "stranger-device");
      byte[] strangerPfx = Iotx509.credential_export_pkcs12(stranger, PFX_PASSWORD, new Pkcs12Options());
      if (handshake(serverCtx, context(strangerPfx, rootPem)) != null) {
        System.err.println("FAIL: a device from another root was accepted");
        System.exit(1);
      }
      System.out.println("device from another root refused");
    }
  }
}
