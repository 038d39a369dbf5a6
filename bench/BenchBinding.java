// java -cp iotx509.jar BenchBinding.java DIR NAME KEYTYPE N: the device
// identity of bench-issue.c's capi_one() through the Java binding; prints
// "java WALL_US CPU_US N" (medians per device).
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.iotx509.*;

public class BenchBinding {
  static Issuer issuer;
  static Certlist chain;
  static int kt;

  static int one(String cn) {
    try (Key k = Iotx509.key_generate(kt); Cert cert = Iotx509.issue_device(issuer, k, cn, null);
         Credential cred = Iotx509.credential_new(cert, k, chain, null);
         Certlist full = Iotx509.credential_get_chain(cred)) {
      byte[] a = Iotx509.cert_export_pem(cert), b = Iotx509.key_export_pem(k, null);
      byte[] c = Iotx509.certlist_export_pem(full);
      return a.length + b.length + c.length;
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  public static void main(String[] args) {
    int n = Integer.parseInt(args[3]);
    Integer t = Iotx509.key_type_from_name(args[2]);
    kt = t;
    Credential ca = Iotx509.credential_load(args[0], args[1], null, null);
    issuer = Iotx509.issuer_new(Iotx509.credential_get_cert(ca), Iotx509.credential_get_key(ca));
    chain = Iotx509.credential_get_chain(ca);
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20; i++) one("warm-up"); // the JIT compiles the wrappers
    double[] wall = new double[n], cpu = new double[n];
    for (int i = 0; i < n; i++) {
      long w = System.nanoTime(), c = tm.getCurrentThreadCpuTime();
      one(String.format("bench-device-%06d", i));
      wall[i] = (System.nanoTime() - w) / 1000.0;
      cpu[i] = (tm.getCurrentThreadCpuTime() - c) / 1000.0;
    }
    System.out.printf("java %.1f %.1f %d%n", median(wall), median(cpu), n);
  }
}
