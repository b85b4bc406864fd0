package dev.dumpflow.functions;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Every event type a {@code @Funq} method may reply with, declared next to its routing.
 *
 * <p>Funqy's {@code @CloudEventMapping(responseType)} holds one type, and Funqy uses it only as the
 * fallback {@code ce-type} of a reply whose {@code CloudEvent} sets none; a function that returns
 * {@code CloudEvent<?>} with its own type may reply with others. This names them all, so that the
 * routing contract tests (every emitted type routed by a Trigger) and readers see each of them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ReplyTypes {

    /** The {@code ce-type}s of the replies, constants of {@code EventTypes}. */
    String[] value();
}
