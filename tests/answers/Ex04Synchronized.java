import java.util.ArrayList;
import java.util.List;

public class Ex04Synchronized {
    private static final List<Integer> list = new ArrayList<>();

    public static void main(String[] args) throws InterruptedException {
        Thread adder = new Thread(() -> {
            for (int i = 1; i <= 5; i++) {
                synchronized (list) {
                    list.add(i);
                    System.out.println("Added " + i + " -> " + list);
                }
                sleep(100);
            }
        });
        Thread remover = new Thread(() -> {
            for (int i = 0; i < 5; i++) {
                sleep(150);
                synchronized (list) {
                    if (list.isEmpty()) {
                        System.out.println("List is empty");
                    } else {
                        int item = list.remove(0);
                        System.out.println("Removed " + item + " -> " + list);
                    }
                }
            }
        });
        adder.start();
        remover.start();
        adder.join();
        remover.join();
        System.out.println("Final list: " + list);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
