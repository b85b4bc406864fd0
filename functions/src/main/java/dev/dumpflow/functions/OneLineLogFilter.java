package dev.dumpflow.functions;

import io.quarkus.logging.LoggingFilter;
import java.time.temporal.TemporalAccessor;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Keeps every log line of the functions one line: the values put into a line (the parameters of
 * {@code infof}, {@code warnf} and the like, where every dumpId, reason and name goes) are rendered
 * through {@link OneLine} before the console handler formats the record. The format strings are
 * ours and keep their shape; numbers, booleans and times cannot hold a line break and are left for
 * their {@code %d} or {@code %s}. Installed on the console handler as {@code
 * quarkus.log.console.filter=one-line}; it drops nothing.
 *
 * <p>The console notification channel logs a message it has already made safe, with lines of its
 * own (see {@code ConsoleChannel}); such a record has no parameters, and passes untouched.
 */
@LoggingFilter(name = "one-line")
public final class OneLineLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        Object[] parameters = record.getParameters();
        if (parameters == null || parameters.length == 0) {
            return true;
        }
        Object[] safe = null;
        for (int i = 0; i < parameters.length; i++) {
            Object p = parameters[i];
            if (p == null
                    || p instanceof Number
                    || p instanceof Boolean
                    || p instanceof Character
                    || p instanceof TemporalAccessor) {
                continue;
            }
            String text = String.valueOf(p);
            if (!OneLine.isClean(text)) {
                if (safe == null) {
                    safe = parameters.clone();
                }
                safe[i] = OneLine.of(text);
            }
        }
        if (safe != null) {
            record.setParameters(safe);
        }
        return true;
    }
}
