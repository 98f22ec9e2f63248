// ex07 in Java: the factorials of 1 to 10 computed by a pool of four threads,
// printed in order.
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public class Ex07 {
    static BigInteger factorial(int n) throws InterruptedException {
        Thread.sleep(50); // long enough that the pool's threads overlap
        BigInteger product = BigInteger.ONE;
        for (int i = 2; i <= n; i++) {
            product = product.multiply(BigInteger.valueOf(i));
        }
        return product;
    }

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<BigInteger>> results = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            final int k = n;
            results.add(pool.submit(() -> factorial(k)));
        }
        for (int n = 1; n <= 10; n++) {
            System.out.println("Factorial of " + n + " is " + results.get(n - 1).get());
        }
        pool.shutdown();
    }
}
