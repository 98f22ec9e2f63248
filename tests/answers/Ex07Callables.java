import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public class Ex07Callables {
    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<BigInteger>> results = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            final int k = n;
            results.add(pool.submit(() -> {
                BigInteger f = BigInteger.ONE;
                for (int i = 2; i <= k; i++) f = f.multiply(BigInteger.valueOf(i));
                return f;
            }));
        }
        for (int n = 1; n <= 10; n++) {
            System.out.println(n + "! = " + results.get(n - 1).get());
        }
        pool.shutdown();
    }
}
