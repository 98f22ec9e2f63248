import java.util.ArrayList;
import java.util.List;

public class Ex04RemoverDies {
    static final List<Integer> list = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Thread adder = new Thread(() -> {
            for (int i = 1; i <= 5; i++) {
                synchronized (list) {
                    list.add(i);
                    System.out.println("Added " + i + " " + list);
                }
                pause(100);
            }
        });
        Thread remover = new Thread(() -> {
            for (int i = 0; i < 6; i++) {
                synchronized (list) {
                    int item = list.remove(0);
                    System.out.println("Removed " + item + " " + list);
                }
                pause(60);
            }
        });
        adder.start();
        remover.start();
        adder.join();
        remover.join();
        System.out.println("Final list: " + list);
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
