// Tests of the Java binding (bindings/iotx509.i), run by `make check`
// (bindings/java/run.sh): every public function of include/iotx509/*.h is
// called, errors carry code, name and message, a borrowed object outlives its
// parent, and create/free cycles keep the RSS flat. Exits non-zero on failure.
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iotx509.*;

public class TestIotx509 {
  static int failures = 0;
  static Path tmp;
  static Path certdir;
  static int n = 0;
  static final Map<Class<?>, Object> world = new HashMap<>();
  static Cert root;
  static Certlist anchors;
  static Credential rootCred;

  static void check(boolean ok, String what) {
    System.out.println((ok ? "ok: " : "FAIL: ") + what);
    if (!ok) failures++;
  }

  /** Every function the public headers declare, without the iotx509_ prefix. */
  static TreeSet<String> declared(Path top) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    Pattern p = Pattern.compile("IOTX509_EXTERN[^;(]*?\\biotx509_(\\w+)\\s*\\(", Pattern.DOTALL);
    try (var files = Files.list(top.resolve("include/iotx509"))) {
      for (Path h : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".h"))::iterator) {
        Matcher m = p.matcher(Files.readString(h));
        while (m.find()) names.add(m.group(1));
      }
    }
    return names;
  }

  static Object arg(Parameter p) throws Exception {
    Class<?> t = p.getType();
    String name = p.getName();
    if (t == byte[].class) return name.equals("der") ? Iotx509.cert_export_der(get(Cert.class))
        : Iotx509.cert_export_pem(get(Cert.class));
    if (t.getSimpleName().endsWith("Options") || t == Buf.class) return t.getConstructor().newInstance();
    if (t == Fileset.class) return Iotx509.fileset_new();
    if (t == Cert.class && Arrays.asList("ca_cert", "old_ca", "new_ca", "old").contains(name)) return root;
    if (t == Certlist.class && name.equals("anchors")) return anchors;
    if (t == Credential.class && name.equals("parent")) return rootCred;
    if (world.containsKey(t)) return world.get(t);
    if (t == String.class) {
      switch (name) {
        case "password": case "key_password": return null;
        case "nonce": return "1234ABCD";
        case "id_scope": return "0ne00000000";
        case "dir": return tmp.toString();
        case "text": return "a\tb";
        case "thumbprint": return Iotx509.cert_get_thumbprint_sha1(get(Cert.class));
        case "cert_path": case "ref": case "local_path": return certdir.resolve("dev-1_cert.pem").toString();
        case "key_path": return certdir.resolve("dev-1_key.pem").toString();
        case "path": return tmp.resolve("out-" + (++n) + ".pem").toString();
        default: return name.endsWith("url") ? "pkcs11:token=iotx509-no-such-token" : "dev-1";
      }
    }
    if (t == int.class) return 0;
    if (t == long.class) return 0L;
    if (t == java.math.BigInteger.class) return java.math.BigInteger.ZERO;
    return null;
  }

  static long rssKib() throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc/self/status")))
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    return 0;
  }

  @SuppressWarnings("unchecked")
  static <T> T get(Class<T> c) {
    return (T) world.get(c);
  }

  public static void main(String[] args) throws Exception {
    Path top = Paths.get(System.getenv("IOTX509_TOP_SRCDIR"));
    boolean quick = "1".equals(System.getenv("IOTX509_TEST_QUICK"));
    tmp = Files.createTempDirectory("iotx509-java.");
    certdir = Files.createDirectory(tmp.resolve("certs"));
    IssueOptions opts = new IssueOptions();
    Key key = Iotx509.key_generate(Iotx509.KEY_P256);
    root = Iotx509.issue_root(key, "Test Root", opts);
    Issuer issuer = Iotx509.issuer_new(root, key);
    Key dkey = Iotx509.key_generate(Iotx509.KEY_P256);
    Cert cert = Iotx509.issue_device(issuer, dkey, "dev-1", opts);
    Certlist list = Iotx509.certlist_new();
    Iotx509.certlist_add(list, cert);
    Iotx509.certlist_add(list, root);
    anchors = Iotx509.certlist_new();
    Iotx509.certlist_add(anchors, root);
    Credential cred = Iotx509.credential_new(cert, dkey, anchors, null);
    rootCred = Iotx509.credential_new(root, key, anchors, null);
    byte[] pfx = Iotx509.credential_export_pkcs12(cred, "1234", new Pkcs12Options());
    Strlist strlist = Iotx509.strlist_new();
    Iotx509.strlist_add(strlist, "localhost");
    Enrollment enr = Iotx509.enrollment_new(Iotx509.ENROLLMENT_INDIVIDUAL, "dev-1");
    Iotx509.enrollment_set_cert(enr, Iotx509.ENROLLMENT_PRIMARY, cert);
    EnrollmentList enrs = Iotx509.enrollment_list_new();
    Iotx509.enrollment_list_add(enrs, enr);
    Iotx509.cert_save(cert, certdir.resolve("dev-1_cert.pem").toString(), null);
    Iotx509.cert_save(root, certdir.resolve("root_cert.pem").toString(), null);
    Iotx509.key_save(dkey, certdir.resolve("dev-1_key.pem").toString(), null, null);
    Expiry expiry = Iotx509.expiry_new(new ExpiryOptions());
    Iotx509.expiry_add_path(expiry, certdir.toString());
    Tree tree = Iotx509.tree_new(new TreeOptions());
    Iotx509.tree_add_path(tree, certdir.toString());
    Files.writeString(tmp.resolve("ids.txt"), "batch-1\nbatch-2\n");
    BatchOptions bopts = new BatchOptions();
    bopts.setParent(rootCred);
    bopts.setIds_path(tmp.resolve("ids.txt").toString());
    bopts.setOut_dir(Files.createDirectory(tmp.resolve("batch-out")).toString());
    Batch batch = Iotx509.batch_new(bopts);
    Iotx509.batch_run(batch, 0);
    world.put(Key.class, dkey);
    world.put(Cert.class, cert);
    world.put(Issuer.class, issuer);
    world.put(Certlist.class, list);
    world.put(Credential.class, cred);
    world.put(Pkcs12.class, Iotx509.pkcs12_import(pfx, "1234", null));
    world.put(Strlist.class, strlist);
    world.put(Enrollment.class, enr);
    world.put(EnrollmentList.class, enrs);
    world.put(EnrollmentResult.class, Iotx509.enrollment_check(enrs, list, new EnrollmentCheckOptions()));
    world.put(Csr.class, (Csr) Iotx509.csr_new(dkey, "dev-1", new CsrOptions()));
    world.put(LintResult.class, (LintResult) Iotx509.lint_cert(cert, new LintOptions()));
    world.put(Expiry.class, expiry);
    world.put(Tree.class, tree);
    world.put(Batch.class, batch);
    try {
      world.put(Pkcs11List.class, Iotx509.pkcs11_list_objects("pkcs11:", new KeyOpenOptions()));
    } catch (Iotx509Exception e) {
      world.put(Pkcs11List.class, null);
    }

    // Every public function: wrapped, and called with arguments of its types.
    TreeSet<String> names = declared(top);
    check(names.size() > 200, "the headers declare " + names.size() + " functions");
    Map<String, Method> methods = new HashMap<>();
    for (Method m : Iotx509.class.getMethods()) methods.put(m.getName(), m);
    List<String> bad = new ArrayList<>();
    for (String name : names) {
      if (name.endsWith("_free")) continue; // the objects' close()/finalizers
      Method m = methods.get(name);
      if (m == null) {
        bad.add(name + ": not wrapped");
        continue;
      }
      Parameter[] ps = m.getParameters();
      Object[] a = new Object[ps.length];
      for (int i = 0; i < ps.length; i++) a[i] = arg(ps[i]);
      try {
        m.invoke(null, a);
      } catch (InvocationTargetException e) {
        if (!(e.getCause() instanceof Iotx509Exception)) bad.add(name + ": " + e.getCause());
        else if (((Iotx509Exception) e.getCause()).getCode() >= 0) bad.add(name + ": non-negative code");
      } catch (IllegalArgumentException e) {
        bad.add(name + Arrays.toString(ps) + ": " + e);
      }
    }
    check(bad.isEmpty(), "every public function is wrapped and called " + bad);

    // A wrong .pfx password: the wrong-password error with its code and message.
    try {
      Iotx509.pkcs12_import(pfx, "not-the-password", null);
      check(false, "a wrong .pfx password throws");
    } catch (Iotx509Exception e) {
      check(e.getCode() == Iotx509.EPASSWORD && e.getCodeName().equals(Iotx509.strerror(Iotx509.EPASSWORD))
          && !e.getMessage().isEmpty() && !e.getMessage().contains("not-the-password"),
          "a wrong .pfx password throws EPASSWORD: " + e);
    }

    // Enums are ints: a value the header does not know yet does not throw.
    check(Iotx509.verify_status_name(9999) != null, "an unknown enum value is just an int");

    // A borrowed object outlives its parent (Java returns its own reference).
    Certlist parent = Iotx509.certlist_new();
    Iotx509.certlist_add(parent, Iotx509.cert_import(Iotx509.cert_export_pem(cert)));
    Cert child = Iotx509.certlist_get(parent, 0);
    Pkcs12 p12 = Iotx509.pkcs12_import(pfx, "1234", null);
    Key p12key = Iotx509.pkcs12_get_key(p12);
    parent.close();
    p12.close();
    System.gc();
    check("dev-1".equals(Iotx509.cert_get_subject_cn(child)) && Iotx509.key_get_bits(p12key) == 256,
        "a borrowed object outlives its closed parent");

    // Bytes survive exactly.
    byte[] der = Iotx509.cert_export_der(cert);
    check(Arrays.equals(Iotx509.cert_export_der(Iotx509.cert_import(der)), der), "DER round trip");

    // 10,000 create/free cycles: RSS flat (the second round measured).
    int count = quick ? 1000 : 10000;
    byte[] pem = Iotx509.cert_export_pem(cert);
    long before = 0;
    for (int round = 0; round < 2; round++) {
      if (round == 1) before = rssKib();
      for (int i = 0; i < count; i++) {
        try (Cert c = Iotx509.cert_import(pem); Certlist l = Iotx509.certlist_new()) {
          Iotx509.certlist_add(l, c);
          try (Cert g = Iotx509.certlist_get(l, 0)) {
            Iotx509.cert_export_der(g);
          }
        }
        try {
          Iotx509.pkcs12_import("junk".getBytes(StandardCharsets.US_ASCII), "x", null);
        } catch (Iotx509Exception e) {
          // expected
        }
      }
      System.gc();
    }
    long grown = rssKib() - before;
    check(grown < 8 * 1024, "RSS grew by " + grown + " KiB over " + count + " cycles");

    try (var walk = Files.walk(tmp)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    System.out.println(failures == 0 ? "all passed" : failures + " failed");
    System.exit(failures == 0 ? 0 : 1);
  }
}
