// ex07 in Java with no pool: the factorials of 1 to 10 computed and printed by
// main alone. The JVM starts a score of threads of its own (compilers, garbage
// collector, finalizer) that are none of the program's.
import java.math.BigInteger;

public class Ex07Sequential {
    public static void main(String[] args) {
        BigInteger product = BigInteger.ONE;
        for (int n = 1; n <= 10; n++) {
            product = product.multiply(BigInteger.valueOf(n));
            System.out.println("Factorial of " + n + " is " + product);
        }
    }
}
