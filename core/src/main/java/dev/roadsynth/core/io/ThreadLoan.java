package dev.roadsynth.core.io;

import java.util.function.Supplier;

/**
 * One object per thread, lent to one user at a time, for buffers that writer threads would otherwise allocate
 * afresh for every file or image: {@link #borrow} gives the calling thread's object, or a new one while it is out
 * (a second file or stream open on the thread); {@link #giveBack} keeps what is given back for the thread's next
 * borrow. A user gives back once, and only on the thread that borrowed.
 *
 * @param <T> what is lent; its user resets it as needed
 */
final class ThreadLoan<T> {
    private final Supplier<T> make;
    /** The calling thread's object while it is not lent; null while it is. */
    private final ThreadLocal<T> idle;

    ThreadLoan(Supplier<T> make) {
        this.make = make;
        this.idle = ThreadLocal.withInitial(make);
    }

    T borrow() {
        T t = idle.get();
        if (t == null) {
            return make.get();
        }
        idle.set(null);
        return t;
    }

    /** Keeps {@code t} for the thread's next borrow, unless the thread already holds one. */
    void giveBack(T t) {
        if (idle.get() == null) {
            idle.set(t);
        }
    }
}
