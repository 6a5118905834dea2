package io.redstart.scripting;

import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_long;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;

/**
 * Adapts two classes of LuaJ 3.0.1 to Redis's Lua 5.1 where LuaJ offers no extension point, by
 * rewriting their bytecode in memory, before LuaJ is used, with the JDK's class-file API. The jar
 * on the class path is not changed and no LuaJ source is part of Redstart; what is rewritten is
 * small and checked, so that another LuaJ build fails loudly here rather than misbehave:
 *
 * <ul>
 *   <li>{@code org.luaj.vm2.LuaDouble}: {@code tojstring()} calls {@link LuaJHooks#numberToString}
 *       (Lua 5.1 prints numbers with {@code %.14g}; LuaJ uses {@code Float.toString}, and the
 *       text reaches scripts through concatenation, which no library function sees); the
 *       {@code NAN} constant that LuaJ returns for 0/0 gets the sign bit x86 gives it, so that it
 *       prints "-nan" like Redis's; {@code valueOf(double)} keeps -0 a double (LuaJ makes it the
 *       integer 0) so that it prints "-0".
 *   <li>{@code org.luaj.vm2.LuaClosure}: a tail call ({@code return f(...)}) of a function that is
 *       not a Lua closure goes to {@link LuaJHooks#tailCall}, which runs it at once, inside the
 *       calling frame, as Lua 5.1 runs C functions. LuaJ returns every tail call to the caller's
 *       caller, so the error of {@code return redis.call(...)} or {@code return error('x')} would
 *       be raised after the script's frame is gone, without its position; the debug hooks cannot
 *       help there, since they report the frame's end before the tail-called function starts and
 *       nothing when it ends.
 * </ul>
 *
 * <p>The rewritten classes are defined into LuaJ's package and class loader through a private
 * lookup on {@code org.luaj.vm2.Lua} (a class that refers to neither), so they must be defined
 * before anything loads the originals: {@link #install} runs first in {@code Subsystems}, and
 * again (a no-op then) when {@link Scripting} is initialized. If LuaJ's classes were loaded
 * earlier, install fails with an exception that says so rather than run unpatched. This class
 * itself names no LuaJ type, so that loading it loads no LuaJ class.
 *
 * <p>Thread-safe (install is synchronized and idempotent).
 */
public final class LuaJPatch {
  private LuaJPatch() {}

  private static final String LUAJ = "org.luaj.vm2.";
  private static final ClassDesc LUA_DOUBLE = ClassDesc.of(LUAJ + "LuaDouble");
  private static final ClassDesc LUA_VALUE = ClassDesc.of(LUAJ + "LuaValue");
  private static final ClassDesc VARARGS = ClassDesc.of(LUAJ + "Varargs");
  private static final ClassDesc TAILCALL = ClassDesc.of(LUAJ + "TailcallVarargs");
  private static final ClassDesc HOOKS = ClassDesc.of("io.redstart.scripting.LuaJHooks");

  /** The NaN x86 arithmetic produces (sign bit set), which glibc prints as "-nan". */
  static final long X86_DEFAULT_NAN = 0xfff8000000000000L;

  /** The number of tail-call sites in LuaJ 3.0.1's LuaClosure.execute (one per argument count). */
  private static final int TAIL_CALL_SITES = 5;

  private static boolean installed;

  /**
   * Defines the rewritten LuaDouble and LuaClosure; does nothing when already done.
   *
   * @throws IllegalStateException when LuaJ's classes were loaded before, or are not LuaJ
   *     3.0.1's
   */
  public static synchronized void install() {
    if (installed) return;
    ClassLoader loader = LuaJPatch.class.getClassLoader();
    MethodHandles.Lookup lookup;
    try {
      Class<?> anchor = Class.forName(LUAJ + "Lua", false, loader);
      lookup = MethodHandles.privateLookupIn(anchor, MethodHandles.lookup());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("LuaJ (org.luaj:luaj-jse 3.0.1) is not on the class path", e);
    }
    byte[] luaDouble = patchLuaDouble(classBytes(loader, "LuaDouble"));
    byte[] luaClosure = patchLuaClosure(classBytes(loader, "LuaClosure"));
    define(lookup, "LuaDouble", luaDouble);
    define(lookup, "LuaClosure", luaClosure);
    installed = true;
  }

  private static byte[] classBytes(ClassLoader loader, String simpleName) {
    String resource = LUAJ.replace('.', '/') + simpleName + ".class";
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("LuaJ class file not found: " + resource);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read LuaJ class file " + resource, e);
    }
  }

  private static void define(MethodHandles.Lookup lookup, String simpleName, byte[] bytes) {
    try {
      lookup.defineClass(bytes);
    } catch (LinkageError e) {
      throw new IllegalStateException(
          "LuaJ's " + LUAJ + simpleName + " was loaded before Redstart adapted it: "
              + "LuaJPatch.install() must run before anything uses LuaJ",
          e);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot define " + LUAJ + simpleName, e);
    }
  }

  // ---- LuaDouble

  static byte[] patchLuaDouble(byte[] original) {
    ClassFile cf = ClassFile.of();
    ClassModel model = cf.parse(original);
    int[] done = new int[3]; // tojstring, valueOf, NaN constant
    ClassTransform transform =
        (cb, element) -> {
          if (!(element instanceof MethodModel m)) {
            cb.with(element);
            return;
          }
          String name = m.methodName().stringValue();
          String type = m.methodType().stringValue();
          if (name.equals("tojstring") && type.equals("()Ljava/lang/String;")) {
            cb.withMethodBody(
                m.methodName(), m.methodType(), m.flags().flagsMask(), LuaJPatch::numberToString);
            done[0]++;
          } else if (name.equals("valueOf") && type.equals("(D)Lorg/luaj/vm2/LuaNumber;")) {
            cb.transformMethod(m, MethodTransform.transformingCode(keepNegativeZero(done)));
          } else if (name.equals("<clinit>")) {
            cb.transformMethod(m, MethodTransform.transformingCode(x86Nan(done)));
          } else {
            cb.with(element);
          }
        };
    byte[] out = cf.transformClass(model, transform);
    if (done[0] != 1 || done[1] != 1 || done[2] != 1) {
      throw new IllegalStateException(
          "org.luaj.vm2.LuaDouble is not LuaJ 3.0.1's: cannot adapt it (found tojstring "
              + done[0] + ", valueOf " + done[1] + ", NaN constant " + done[2] + ")");
    }
    return out;
  }

  /** {@code return LuaJHooks.numberToString(this.v);} */
  private static void numberToString(CodeBuilder b) {
    b.aload(0)
        .getfield(LUA_DOUBLE, "v", CD_double)
        .invokestatic(HOOKS, "numberToString", MethodTypeDesc.of(CD_String, CD_double))
        .areturn();
  }

  /** Prepends {@code if (rawbits(d) == rawbits(-0.0)) return new LuaDouble(d);}. */
  private static CodeTransform keepNegativeZero(int[] done) {
    return new CodeTransform() {
      @Override
      public void atStart(CodeBuilder b) {
        var original = b.newLabel();
        b.dload(0)
            .invokestatic(
                ConstantDescs.CD_Double,
                "doubleToRawLongBits",
                MethodTypeDesc.of(CD_long, CD_double))
            .loadConstant(Double.doubleToRawLongBits(-0.0))
            .lcmp()
            .ifne(original)
            .new_(LUA_DOUBLE)
            .dup()
            .dload(0)
            .invokespecial(
                LUA_DOUBLE,
                ConstantDescs.INIT_NAME,
                MethodTypeDesc.of(ConstantDescs.CD_void, CD_double))
            .areturn()
            .labelBinding(original);
        done[1]++;
      }

      @Override
      public void accept(CodeBuilder b, CodeElement e) {
        b.with(e);
      }
    };
  }

  /** Replaces the NaN constant by x86's default NaN. */
  private static CodeTransform x86Nan(int[] done) {
    return (b, e) -> {
      if (e instanceof ConstantInstruction c
          && c.constantValue() instanceof Double d
          && d.isNaN()) {
        b.loadConstant(X86_DEFAULT_NAN)
            .invokestatic(
                ConstantDescs.CD_Double, "longBitsToDouble", MethodTypeDesc.of(CD_double, CD_long));
        done[2]++;
      } else {
        b.with(e);
      }
    };
  }

  // ---- LuaClosure

  static byte[] patchLuaClosure(byte[] original) {
    ClassFile cf = ClassFile.of();
    ClassModel model = cf.parse(original);
    int[] sites = new int[1];
    ClassTransform transform =
        ClassTransform.transformingMethodBodies(
            CodeTransform.ofStateful(() -> tailCalls(sites)));
    byte[] out = cf.transformClass(model, transform);
    if (sites[0] != TAIL_CALL_SITES) {
      throw new IllegalStateException(
          "org.luaj.vm2.LuaClosure is not LuaJ 3.0.1's: cannot adapt it (found " + sites[0]
              + " tail calls, expected " + TAIL_CALL_SITES + ")");
    }
    return out;
  }

  /**
   * Turns {@code new TailcallVarargs(f, args)} into {@code LuaJHooks.tailCall(f, args)}: the
   * {@code new} and {@code dup} before the arguments go, the constructor call becomes the static
   * call, which leaves the Varargs the method returns.
   */
  private static CodeTransform tailCalls(int[] sites) {
    return new CodeTransform() {
      private boolean dupToDrop;

      @Override
      public void accept(CodeBuilder b, CodeElement e) {
        if (e instanceof NewObjectInstruction n && n.className().asSymbol().equals(TAILCALL)) {
          dupToDrop = true;
          return;
        }
        if (dupToDrop && e instanceof Instruction i) {
          if (i.opcode() != Opcode.DUP) {
            throw new IllegalStateException("unexpected code after new TailcallVarargs: " + i);
          }
          dupToDrop = false;
          return;
        }
        if (e instanceof InvokeInstruction inv
            && inv.owner().asSymbol().equals(TAILCALL)
            && inv.name().equalsString(ConstantDescs.INIT_NAME)) {
          MethodTypeDesc expected =
              MethodTypeDesc.of(ConstantDescs.CD_void, LUA_VALUE, VARARGS);
          if (!inv.typeSymbol().equals(expected)) {
            throw new IllegalStateException("unexpected TailcallVarargs constructor: " + inv);
          }
          b.invokestatic(HOOKS, "tailCall", MethodTypeDesc.of(VARARGS, LUA_VALUE, VARARGS));
          sites[0]++;
          return;
        }
        b.with(e);
      }
    };
  }
}
