package dev.kumo.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/** Creates handler instances the way the Java runtime does at init, plus the local way of passing the environment. */
final class HandlerFactory {

    private final Constructor<?> constructor;
    private final Map<String, String> environment;

    HandlerFactory(String className, Map<String, String> environment, ClassLoader classLoader) {
        this.environment = environment;
        Class<?> type;
        try {
            type = Class.forName(className, true, classLoader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("Handler class not found: " + className, e);
        }
        if (!RequestHandler.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " does not implement " + RequestHandler.class.getName());
        }
        this.constructor = constructorOf(type);
    }

    private static Constructor<?> constructorOf(Class<?> type) {
        try {
            return type.getConstructor(Map.class);
        } catch (NoSuchMethodException noEnvironmentConstructor) {
            try {
                return type.getConstructor();
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getName()
                        + " needs a public constructor taking Map<String,String> or a public no-arg constructor", e);
            }
        }
    }

    /** A new handler, as a new execution environment would create on a cold start. */
    @SuppressWarnings("unchecked")
    RequestHandler<Object, Object> newHandler() {
        try {
            Object handler = constructor.getParameterCount() == 1
                    ? constructor.newInstance(environment)
                    : constructor.newInstance();
            return (RequestHandler<Object, Object>) handler;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Handler constructor failed: " + constructor.getDeclaringClass().getName(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot instantiate " + constructor.getDeclaringClass().getName(), e);
        }
    }
}
