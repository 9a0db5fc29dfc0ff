package io.sfmcsuppression.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;

/**
 * The service's datasource with a recorder in front: while {@link #record()} is on, the first
 * execution of every prepared statement that names {@code determinations} or
 * {@code suppression_outbox} is also run as {@code EXPLAIN (FORMAT JSON)} with the same parameters,
 * on the same connection and transaction, before the statement itself runs. So a plan test checks
 * the statements the code really sends, not copies of them. PostgreSQL only (H2's EXPLAIN differs).
 * Enabled per test profile with {@code getEnabledAlternatives()}.
 */
@Alternative
@ApplicationScoped
public class ExplainingDataSource {

    /** Tables whose plans are recorded. */
    private static final Pattern WATCHED = Pattern.compile("\\b(determinations|suppression_outbox)\\b", Pattern.CASE_INSENSITIVE);

    private final AgroalDataSource target;
    private volatile boolean recording;
    private final Map<String, String> plans = new LinkedHashMap<>();

    ExplainingDataSource(@DataSource("pg") InjectableInstance<AgroalDataSource> postgresql,
                         @DataSource("h2") InjectableInstance<AgroalDataSource> h2) {
        this.target = postgresql.getHandle().getBean().isActive() ? postgresql.get() : h2.get();
    }

    @Produces
    @ApplicationScoped
    AgroalDataSource explaining() {
        return (AgroalDataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {AgroalDataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    return result instanceof Connection c ? connection(c) : result;
                });
    }

    /** Forgets earlier plans and records from now on. */
    public synchronized void record() {
        plans.clear();
        recording = true;
    }

    /** Stops recording; returns each statement recorded with its JSON plan, in first-run order. */
    public synchronized Map<String, String> stop() {
        recording = false;
        return Map.copyOf(plans);
    }

    private Connection connection(Connection real) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (method.getName().equals("prepareStatement") && args.length == 1 && WATCHED.matcher((String) args[0]).find()) {
                        return statement(real, (String) args[0], (PreparedStatement) result);
                    }
                    return result;
                });
    }

    private PreparedStatement statement(Connection connection, String sql, PreparedStatement real) {
        Map<Integer, Object[]> bound = new TreeMap<>();
        Map<Integer, Method> setters = new TreeMap<>();
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index) {
                bound.put(index, args);
                setters.put(index, method);
            } else if (name.equals("clearParameters")) {
                bound.clear();
                setters.clear();
            } else if (name.equals("addBatch") || name.startsWith("execute")) {
                explainOnce(connection, sql, setters, bound);
            }
            return invoke(real, method, args);
        };
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, handler);
    }

    private void explainOnce(Connection connection, String sql, Map<Integer, Method> setters, Map<Integer, Object[]> bound)
            throws SQLException {
        synchronized (this) {
            if (!recording || plans.containsKey(sql)) {
                return;
            }
        }
        List<String> rows = new ArrayList<>();
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN (FORMAT JSON) " + sql)) {
            for (Map.Entry<Integer, Method> setter : setters.entrySet()) {
                invoke(explain, setter.getValue(), bound.get(setter.getKey()));
            }
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw e;
        } catch (Throwable e) {
            throw new SQLException("Could not explain " + sql, e);
        }
        synchronized (this) {
            plans.putIfAbsent(sql, String.join("\n", rows));
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
