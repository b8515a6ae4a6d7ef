export default function HomePage() {
  return (
    <section className="hero">
      <h1>Family cover, quoted in minutes</h1>
      <p>Tell us where you live, how to reach you and who you want to cover. You will see your premium before you submit.</p>
    </section>
  );
}
